using System.CommandLine;

namespace Distal.Cli;

/// <summary>How the INPUT files are read: `--input-format` (null: by extension) and `--columns` (null: all).</summary>
internal sealed record InputSource(TableFormat? Format, IReadOnlyList<string>? Columns)
{
    public static InputSource From(ParseResult parse)
    {
        string? format = parse.GetValue(CommandRunner.InputFormat);
        string? columns = parse.GetValue(CommandRunner.Columns);
        return new InputSource(format is null ? null : DataFile.FindFormat(format), ParseColumns(columns));
    }

    /// <summary>`a,b,c` as names; spaces around a name are dropped, and an empty name is a usage error.</summary>
    public static IReadOnlyList<string>? ParseColumns(string? text)
    {
        if (text is null)
        {
            return null;
        }

        string[] names = text.Split(',', StringSplitOptions.TrimEntries);
        if (names.Any(n => n.Length == 0))
        {
            throw new DistalException(FailureKind.Usage, $"--columns '{text}': give column names separated by commas");
        }

        return names;
    }
}
