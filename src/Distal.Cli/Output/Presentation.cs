using System.Text.Json.Nodes;

namespace Distal.Cli.Output;

/// <summary>
/// How a run's result is shown: JSON or a human table (`--format`), and a picture (`--plot FILE.png|FILE.svg`).
/// Commands compute what the summary or the picture needs beyond the JSON result (R², a bounded sample of rows,
/// cluster sizes) only when asked, on every rank, and leave it in <see cref="RankContext.Extras"/>; rank 0 renders.
/// </summary>
internal sealed record Presentation(bool Table, string? PlotPath)
{
    public static readonly Presentation JsonOnly = new(false, null);

    /// <summary>Whether the summary or the picture is wanted (so commands compute their extras).</summary>
    public bool WantsExtras => Table || PlotPath is not null;

    /// <summary>
    /// The most rows a picture gathers to rank 0 (a stride sample over the global row order): a scatter plot of more
    /// points shows nothing more, and rank 0's memory stays bounded whatever the data size.
    /// </summary>
    public const int SampleRows = 5000;

    /// <summary>
    /// Table when asked (`--format table`), or by default when standard output is a terminal; JSON otherwise.
    /// <paramref name="stdoutIsTerminal"/> is injectable so tests decide the default without a terminal.
    /// </summary>
    public static bool ResolveTable(string? format, bool stdoutIsTerminal) => format switch
    {
        null => stdoutIsTerminal,
        "table" => true,
        "json" => false,
        _ => throw new DistalException(FailureKind.Usage, $"--format: '{format}' is not one of table, json"),
    };

    /// <summary>
    /// Whether standard output is a terminal: DISTAL_STDOUT_IS_TERMINAL=1/0 when set (tests, and wrappers that pipe a
    /// terminal through); never under an MPI launcher, whose ranks cannot tell whether the launcher's own output is a
    /// terminal (Open MPI gives every rank a pseudo-terminal either way, MPICH a pipe), so scripts keep their JSON;
    /// else what the console says.
    /// </summary>
    public static bool StdoutIsTerminal() => Environment.GetEnvironmentVariable("DISTAL_STDOUT_IS_TERMINAL") switch
    {
        "1" or "true" => true,
        "0" or "false" => false,
        _ => !Console.IsOutputRedirected && !Communication.Mpi.LauncherEnvironment.Detect().UseMpi,
    };

    /// <summary>Checks the `--plot` path's extension (png or svg).</summary>
    public static string? CheckPlotPath(string? path)
    {
        if (path is null)
        {
            return null;
        }

        string extension = Path.GetExtension(path).ToLowerInvariant();
        return extension is ".png" or ".svg"
            ? path
            : throw new DistalException(FailureKind.Usage, $"--plot {path}: the file must end in .png or .svg");
    }
}

/// <summary>Extras a command leaves for the summary and the picture (rank 0's are used).</summary>
internal static class Extras
{
    public static double[] Doubles(JsonObject extras, string key) => Required(extras, key).AsArray().Select(v => v!.GetValue<double>()).ToArray();

    public static long[] Longs(JsonObject extras, string key) => Required(extras, key).AsArray().Select(Summaries.Integer).ToArray();

    public static int[] Ints(JsonObject extras, string key) => Required(extras, key).AsArray().Select(v => v!.GetValue<int>()).ToArray();

    private static JsonNode Required(JsonObject extras, string key)
        => extras[key] ?? throw new InvalidOperationException($"the summary needs '{key}', which the command did not compute");
}
