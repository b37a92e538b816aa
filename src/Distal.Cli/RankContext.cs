using Distal.Communication;

namespace Distal.Cli;

/// <summary>What a command run sees on one rank: its communicator, the inputs and the output settings.</summary>
internal sealed class RankContext(Communicator communicator, IReadOnlyList<string> inputs, string? localOutputDirectory, bool isBenchmark = false)
{
    public Communicator Communicator { get; } = communicator;

    public IReadOnlyList<string> Inputs { get; } = inputs;

    /// <summary>
    /// True under `distal benchmark`: the computation is timed on generated rows and nobody reads per-row output,
    /// so commands skip gathering and serializing it.
    /// </summary>
    public bool IsBenchmark { get; } = isBenchmark;

    /// <summary>Where per-rank matrices go (`--local-output-dir`), as DIR/&lt;name&gt;_&lt;rank&gt;.csv; null when not asked.</summary>
    public string? LocalOutputDirectory { get; } = localOutputDirectory;

    /// <summary>Writes this rank's rows of a distributed matrix to DIR/name_rank.csv, when a directory was given.</summary>
    public void WriteLocal(string name, Table<double> rows)
    {
        if (LocalOutputDirectory is null)
        {
            return;
        }

        Directory.CreateDirectory(LocalOutputDirectory);
        CsvOutput.Write(Path.Combine(LocalOutputDirectory, $"{name}_{Communicator.Rank}.csv"), rows);
    }
}
