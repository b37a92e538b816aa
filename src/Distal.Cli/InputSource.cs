using System.CommandLine;

namespace Distal.Cli;

/// <summary>
/// How the INPUT files are read: `--input-format` (null: by extension) and `--columns` (null: all). CSR input
/// (`--input-format csr` or the .csr extension) is sparse and read whole; for it `--columns P` is the width, so that
/// ranks whose rows never touch the last column still know it.
/// </summary>
internal sealed record InputSource(TableFormat? Format, IReadOnlyList<string>? Columns, bool Csr = false, int? CsrWidth = null)
{
    public static InputSource From(ParseResult parse)
    {
        string? format = parse.GetValue(CommandRunner.InputFormat);
        string? columns = parse.GetValue(CommandRunner.Columns);
        if (string.Equals(format, "csr", StringComparison.OrdinalIgnoreCase))
        {
            return new InputSource(null, null, Csr: true, CsrWidth: ParseWidth(columns));
        }

        return new InputSource(format is null ? null : DataFile.FindFormat(format), ParseColumns(columns));
    }

    /// <summary>This source for <paramref name="inputs"/>: CSR by format or extension, with `--columns P` as the width.</summary>
    public InputSource For(IReadOnlyList<string> inputs, string? columnsText)
        => !Csr && Format is null && SparseInput.IsCsr(inputs) ? this with { Csr = true, Columns = null, CsrWidth = ParseWidth(columnsText) } : this;

    private static int? ParseWidth(string? text)
        => text is null ? null
            : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int width) && width > 0 ? width
            : throw new DistalException(FailureKind.Usage, $"--columns '{text}': for CSR input give the number of columns P");

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
