using System.CommandLine;
using System.Text.Json.Nodes;

namespace Distal.Cli.Commands;

/// <summary>
/// `distal convert IN OUT`: converts between input formats, chosen by extension (.npy, anything else CSV).
/// CSV → .npy writes exactly the parsed values; .npy → CSV writes round-trip ("R") text, so converting back
/// gives the same bits. Prints a JSON summary of what was written.
/// </summary>
internal static class ConvertCommand
{
    private static readonly Argument<string> InputArgument = new("IN") { Description = "Headerless numeric CSV or .npy file to read." };

    private static readonly Argument<string> OutputArgument = new("OUT") { Description = "File to write: .npy ('<f8', or '<f4' with --fptype float) or CSV." };

    public static Command Build()
    {
        var command = new Command("convert", "Convert between input formats: CSV to .npy (exactly the parsed values) or .npy to CSV (round-trip text).")
        {
            InputArgument,
            OutputArgument,
            CommandRunner.FpType,
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

        JsonObject summary = parse.GetValue(CommandRunner.FpType) == "float"
            ? Convert<float>(input, output, "<f4")
            : Convert<double>(input, output, "<f8");
        CommandRunner.Emit(summary, null);
        return 0;
    }

    private static JsonObject Convert<T>(string input, string output, string dtype)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        Table<T> table = DataFile.Read<T>(input);
        bool toNpy = output.EndsWith(".npy", StringComparison.OrdinalIgnoreCase);
        if (toNpy)
        {
            DataFile.WriteNpy(output, table);
        }
        else
        {
            DataFile.WriteCsv(output, table);
        }

        return new JsonObject
        {
            ["input"] = input,
            ["output"] = output,
            ["format"] = toNpy ? "npy" : "csv",
            ["dtype"] = dtype,
            ["rows"] = table.Rows,
            ["cols"] = table.Columns,
        };
    }
}
