using Distal.Algorithms;
using Distal.Communication;
using Distal.Data;

namespace Distal.Cli;

/// <summary>
/// This rank's rows, read with the requested floating-point type (`--fptype`). Given an input source rather than a
/// table, the rows are read only when a command asks for them: a streaming algorithm (<see cref="MergeableAlgorithm{TResult}"/>)
/// then reads them chunk by chunk when `--chunk-rows` asks for it or the rank's share exceeds the memory budget, so
/// only one chunk and the partial result are in memory; any other use reads the whole share.
/// </summary>
internal sealed class InputTable
{
    private readonly StreamPlan? _plan;
    private Table<double>? _double;
    private Table<float>? _single;

    public InputTable(Table<double> table) => _double = table;

    public InputTable(Table<float> table) => _single = table;

    public InputTable(StreamPlan plan) => _plan = plan;

    public int Columns => Load()._double?.Columns ?? _single!.Columns;

    /// <summary>The rows as doubles (a view when read as double, else a widened copy).</summary>
    public Table<double> AsDouble() => Load()._double ?? _single!.ToDouble();

    /// <summary>Runs Lloyd's iterations on the rows in their own type from <paramref name="initialCentroids"/>.</summary>
    public KMeansResult Compute(KMeans algorithm, Table<double> initialCentroids)
        => Load()._double is not null ? algorithm.Compute(_double!, initialCentroids) : algorithm.Compute(_single!, initialCentroids);

    /// <summary>Runs <paramref name="algorithm"/> on the rows in their own type, streaming them when the plan says so.</summary>
    public TResult Compute<TResult>(Algorithm<TResult> algorithm)
    {
        if (_plan is { Streams: true } && _double is null && _single is null)
        {
            if (algorithm is MergeableAlgorithm<TResult> streaming)
            {
                return _plan.AsFloat ? _plan.Stream<float, TResult>(streaming) : _plan.Stream<double, TResult>(streaming);
            }
        }

        return Load()._double is not null ? algorithm.Compute(_double!) : algorithm.Compute(_single!);
    }

    /// <summary>Rows of this rank.</summary>
    public int Rows => Load()._double?.Rows ?? _single!.Rows;

    /// <summary>
    /// The first <paramref name="dataColumns"/> columns and the rest, as two tables of the same type (copies: a
    /// table is one row-major block). Used for `--responses K`; the caller keeps the pair for reruns.
    /// </summary>
    public (InputTable Data, InputTable Target) SplitColumns(int dataColumns)
        => Load()._double is not null
            ? (new InputTable(CopyColumns(_double!, 0, dataColumns)), new InputTable(CopyColumns(_double!, dataColumns, _double!.Columns - dataColumns)))
            : (new InputTable(CopyColumns(_single!, 0, dataColumns)), new InputTable(CopyColumns(_single!, dataColumns, _single!.Columns - dataColumns)));

    /// <summary>Trains <paramref name="algorithm"/> on these rows and <paramref name="target"/>'s, in their own type.</summary>
    public TResult Compute<TResult>(SupervisedAlgorithm<TResult> algorithm, InputTable target)
        => Load()._double is not null ? algorithm.Compute(_double!, target.Load()._double!) : algorithm.Compute(_single!, target.Load()._single!);

    private static Table<T> CopyColumns<T>(Table<T> table, int start, int count)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        var copy = Table<T>.Create(table.Rows, count);
        for (int i = 0; i < table.Rows; i++)
        {
            table.Row(i).Slice(start, count).CopyTo(copy.Row(i));
        }

        return copy;
    }

    /// <summary>Reads the whole share (collectively, like every rank) the first time the rows are needed.</summary>
    private InputTable Load()
    {
        if (_double is null && _single is null)
        {
            StreamPlan plan = _plan!;
            if (plan.ChunkRowsAsked)
            {
                // Reached only by commands whose algorithm does not stream from the CLI yet (k-means init, training).
                throw new DistalException(FailureKind.Usage, "this command needs all of its rows in memory: run it without --chunk-rows");
            }

            using ProgressLine? progress = plan.StartProgress();
            if (plan.AsFloat)
            {
                _single = DataInput.Read<float>(plan.Communicator, plan.Inputs, plan.Source.Format, plan.Source.Columns, progress);
            }
            else
            {
                _double = DataInput.Read<double>(plan.Communicator, plan.Inputs, plan.Source.Format, plan.Source.Columns, progress);
            }
        }

        return this;
    }
}

/// <summary>
/// Where this rank's rows come from and whether they are streamed: `--chunk-rows N`, or automatically (chunks of
/// <see cref="DefaultChunkRows"/>) when the rank's share of the input files is larger than the memory budget
/// (`--memory-budget`, by default half the memory available to the process, split between the ranks of the process).
/// </summary>
internal sealed class StreamPlan
{
    public const int DefaultChunkRows = 1 << 16;

    private readonly bool _showProgress;
    private readonly bool _forceProgress;

    public StreamPlan(Communicator communicator, IReadOnlyList<string> inputs, bool asFloat, InputSource source, int? chunkRows, long? memoryBudget, int ranksInProcess, (bool Show, bool Forced) progress = default)
    {
        _showProgress = progress.Show && communicator.Rank == 0;
        _forceProgress = progress.Forced;
        Communicator = communicator;
        Inputs = inputs;
        AsFloat = asFloat;
        Source = source;
        ChunkRowsAsked = chunkRows is not null;
        ChunkRows = chunkRows ?? DefaultChunkRows;
        long budget = memoryBudget ?? (GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2 / Math.Max(1, ranksInProcess));
        // Every rank must take the same path: streaming and in-memory runs make different collective calls.
        bool streams = ChunkRowsAsked || ShareBytes() > budget;
        Streams = communicator.Allgather(streams ? 1 : 0).Contains(1);
    }

    public Communicator Communicator { get; }

    public IReadOnlyList<string> Inputs { get; }

    public bool AsFloat { get; }

    public InputSource Source { get; }

    public bool ChunkRowsAsked { get; }

    public int ChunkRows { get; }

    /// <summary>Whether a streaming algorithm reads the rows chunk by chunk.</summary>
    public bool Streams { get; }

    /// <summary>
    /// Streams this rank's rows into an online computation and finalizes it (collective). A failure while reading on
    /// any rank becomes the same error on every rank, before the collective finalize.
    /// </summary>
    public TResult Stream<T, TResult>(MergeableAlgorithm<TResult> algorithm)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        OnlineComputation<TResult> online = algorithm.CreateOnline();
        using ProgressLine? progress = StartProgress();
        Communicator.Collectively(() =>
        {
            (string path, int share, int shares) = ShareOfThisRank();
            TableFormat format = Source.Format ?? DataFile.FormatOf(path);
            foreach (Table<T> chunk in format.ReadChunks<T>(path, share, shares, ChunkRows, new TableReadOptions { Columns = Source.Columns, Progress = progress }))
            {
                progress?.AddRows(chunk.Rows);
                if (typeof(T) == typeof(float))
                {
                    online.Add((Table<float>)(object)chunk);
                }
                else
                {
                    online.Add((Table<double>)(object)chunk);
                }
            }
        });
        return online.Finalize();
    }

    /// <summary>A progress line for reading this rank's share, on rank 0 when progress is shown; null otherwise.</summary>
    public ProgressLine? StartProgress()
        => _showProgress ? new ProgressLine(Streams ? "streaming" : "reading", ShareBytes(), Console.Error, _forceProgress) : null;

    /// <summary>One file per rank, or one file split across the ranks (as for reading in memory).</summary>
    private (string Path, int Share, int Shares) ShareOfThisRank()
    {
        int size = Communicator.Size;
        return Inputs.Count == size ? (Inputs[Communicator.Rank], 0, 1)
            : Inputs.Count == 1 ? (Inputs[0], Communicator.Rank, size)
            : throw new DistalException(FailureKind.Usage, $"{Inputs.Count} input files for {size} ranks: give one file per rank, or one file to split across the ranks");
    }

    private long ShareBytes()
    {
        try
        {
            return Inputs.Count == Communicator.Size ? new FileInfo(Inputs[Communicator.Rank]).Length
                : Inputs.Count == 1 ? new FileInfo(Inputs[0]).Length / Communicator.Size
                : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Reading reports the problem with the file, collectively.
            return 0;
        }
    }
}
