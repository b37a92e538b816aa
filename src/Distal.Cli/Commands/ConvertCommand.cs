using System.CommandLine;
using System.Text.Json.Nodes;

namespace Distal.Cli.Commands;

/// <summary>
/// `distal convert IN OUT`: converts between CSV, .npy, Parquet and Arrow, each chosen by extension (`--input-format`
/// overrides it for IN). CSV → .npy, Parquet or Arrow writes exactly the parsed values; writing CSV uses round-trip
/// ("R") text, so converting back gives the same bits. Prints a JSON summary of what was written.
/// </summary>
internal static class ConvertCommand
{
    private static readonly Argument<string> InputArgument = new("IN") { Description = "File to read: CSV, .npy, .parquet or .arrow/.feather." };

    private static readonly Argument<string> OutputArgument = new("OUT")
    {
        Description = "File to write, format by extension: .npy ('<f8', or '<f4' with --fptype float), .parquet, .arrow/.feather, anything else CSV.",
    };

    public static Command Build()
    {
        var command = new Command("convert", "Convert between CSV, .npy, Parquet and Arrow files (exactly the values read; CSV output is round-trip text).")
        {
            InputArgument,
            OutputArgument,
            CommandRunner.FpType,
            CommandRunner.InputFormat,
            CommandRunner.Columns,
        };
        command.SetAction(parse => CommandRunner.Guard(() => Execute(parse)));
        return command;
    }

    private static int Execute(ParseResult parse)
    {
        string input = parse.GetValue(InputArgument)!;
        string output = parse.GetValue(OutputArgument)!;
        if (Path.GetFullPath(input) == Path.GetFullPath(output))
        {
            throw new DistalException(FailureKind.Usage, $"{output}: the output would overwrite the input");
        }

        var source = InputSource.From(parse);
        JsonObject summary = parse.GetValue(CommandRunner.FpType) == "float"
            ? Convert<float>(input, output, source, "<f4")
            : Convert<double>(input, output, source, "<f8");
        CommandRunner.Emit(summary, null);
        return 0;
    }

    private static JsonObject Convert<T>(string input, string output, InputSource source, string dtype)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        TableFormat inputFormat = source.Format ?? DataFile.FormatOf(input);
        TableFormat outputFormat = DataFile.FormatOf(output);
        Table<T> table = inputFormat.ReadShare<T>(input, 0, 1, new TableReadOptions { Columns = source.Columns });
        WriteTo(outputFormat, output, table);
        return new JsonObject
        {
            ["input"] = input,
            ["output"] = output,
            ["inputFormat"] = inputFormat.Name,
            ["format"] = outputFormat.Name,
            ["dtype"] = dtype,
            ["rows"] = table.Rows,
            ["cols"] = table.Columns,
        };
    }

    private static void WriteTo<T>(TableFormat format, string output, Table<T> table)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        try
        {
            format.Write(output, table);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DistalException(FailureKind.Usage, $"{output}: cannot write: {e.Message}");
        }
    }
}
