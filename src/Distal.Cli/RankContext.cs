using Distal.Communication;

namespace Distal.Cli;

/// <summary>What a command run sees on one rank: its communicator, the inputs and the output settings.</summary>
internal sealed class RankContext(Communicator communicator, IReadOnlyList<string> inputs, string? localOutputDirectory, string? modelOutput = null, bool isBenchmark = false)
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

    /// <summary>Where a training command saves its model (`--model-output`); null when not asked.</summary>
    public string? ModelOutput { get; } = modelOutput;

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

    /// <summary>
    /// Saves the trained model to `--model-output` (rank 0 writes; every rank has the same model), agreeing the
    /// outcome so a failed write is one error on every rank.
    /// </summary>
    public void SaveModel(Model model)
    {
        if (ModelOutput is null || IsBenchmark)
        {
            return;
        }

        Communicator.Collectively(() =>
        {
            if (Communicator.Rank == 0)
            {
                model.Save(ModelOutput);
            }
        });
    }

    /// <summary>Loads a model file on every rank, agreeing the outcome (a bad file is one error everywhere).</summary>
    public TModel LoadModel<TModel>(Func<string, TModel> load, string path)
        => Communicator.Collectively(() => load(path));
}
