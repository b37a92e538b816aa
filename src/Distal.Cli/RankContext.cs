using Distal.Communication;
using Distal.Data;

namespace Distal.Cli;

/// <summary>What a command run sees on one rank: its communicator, the inputs and the output settings.</summary>
internal sealed class RankContext(Communicator communicator, IReadOnlyList<string> inputs, string? localOutputDirectory, string? modelOutput = null, bool isBenchmark = false)
{
    public Communicator Communicator { get; } = communicator;

    public IReadOnlyList<string> Inputs { get; } = inputs;

    /// <summary>How the result will be shown (`--format`, `--plot`); commands compute extras only when it asks.</summary>
    public Output.Presentation Presentation { get; init; } = Output.Presentation.JsonOnly;

    /// <summary>What the summary and the picture need beyond the JSON result (rank 0's are used); never printed as JSON.</summary>
    public System.Text.Json.Nodes.JsonObject Extras { get; } = [];

    /// <summary>
    /// True under `distal benchmark`: the computation is timed on generated rows and nobody reads per-row output,
    /// so commands skip gathering and serializing it.
    /// </summary>
    public bool IsBenchmark { get; } = isBenchmark;

    /// <summary>Where per-rank matrices go (`--local-output-dir`), as DIR/&lt;name&gt;_&lt;rank&gt;.csv; null when not asked.</summary>
    public string? LocalOutputDirectory { get; } = localOutputDirectory;

    /// <summary>Where a training command saves its model (`--model-output`); null when not asked.</summary>
    public string? ModelOutput { get; } = modelOutput;

    /// <summary>
    /// Writes this rank's rows of a distributed matrix to DIR/name_rank.csv, when a directory was given. Collective:
    /// a rank that cannot write is one agreed error on every rank (the others would otherwise wait for it in the next
    /// collective), the file appears complete or not at all, and rank 0 removes name_r.csv files of ranks this run
    /// does not have (left by an earlier run with more ranks).
    /// </summary>
    public void WriteLocal(string name, Table<double> rows)
    {
        if (LocalOutputDirectory is not { } directory)
        {
            return;
        }

        Communicator.Collectively(() =>
        {
            CsvOutput.Write(Path.Combine(directory, $"{name}_{Communicator.Rank}.csv"), rows);
            RemoveStale(directory, name);
        });
    }

    private void RemoveStale(string directory, string name)
    {
        if (Communicator.Rank == 0)
        {
            foreach (string stale in CsvOutput.RemoveStale(directory, name, Communicator.Size))
            {
                Console.Error.WriteLine($"distal: removed {stale} (left by an earlier run with more ranks)");
            }
        }
    }

    /// <summary>
    /// Streams this rank's rows of a distributed matrix to DIR/name_rank.csv chunk by chunk (a streamed run's output),
    /// with the guarantees of <see cref="WriteLocal(string, Table{double})"/>. Without a directory the chunks are
    /// still enumerated (inside the agreement), so a caller that keeps them sees every one. Returns this rank's rows.
    /// </summary>
    public long WriteLocal(string name, IEnumerable<Table<double>> chunks)
    {
        long rows = 0;
        IEnumerable<Table<double>> Counted()
        {
            foreach (var chunk in chunks)
            {
                rows += chunk.Rows;
                yield return chunk;
            }
        }

        Communicator.Collectively(() =>
        {
            if (LocalOutputDirectory is not { } directory)
            {
                foreach (var _ in Counted())
                {
                }

                return;
            }

            Data.CsvWriter.WriteChunks(Path.Combine(directory, $"{name}_{Communicator.Rank}.csv"), Counted());
            RemoveStale(directory, name);
        });
        return rows;
    }

    /// <summary>
    /// Checks, before the computation, that every output can be written: `--local-output-dir` on every rank (ranks on
    /// other nodes may see another file system), `--output` and `--model-output` on rank 0, which writes them.
    /// Collective; a failure is one agreed usage error.
    /// </summary>
    public void CheckOutputs(string? output)
    {
        if (IsBenchmark)
        {
            return;
        }

        Communicator.Collectively(() =>
        {
            if (LocalOutputDirectory is { } directory)
            {
                Data.OutputFile.CheckWritableDirectory(directory);
            }

            if (Communicator.Rank == 0)
            {
                foreach (string? path in (string?[])[output, ModelOutput, Presentation.PlotPath])
                {
                    if (path is not null)
                    {
                        Data.OutputFile.CheckWritable(path);
                    }
                }
            }
        });
    }

    /// <summary>
    /// Collective: this rank's rows of one targets file (`--dependent`, `--labels`) for all rows, row for row with the
    /// ranks' <paramref name="dataRows"/> however the data was split; the same input error on every rank when the two
    /// files' row counts differ.
    /// </summary>
    public (RowAlignedInput Plan, Table<T> Rows) ReadTargetRows<T>(string file, long dataRows)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        var plan = RowAlignedInput.Plan(Communicator, file, dataRows, RowAlignedInput.NameOf(Inputs));
        return (plan, Communicator.Collectively(() => plan.Read<T>()));
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
