using Distal.Algorithms;
using Distal.Communication;
using Distal.Data;

namespace Distal.Cli;

/// <summary>
/// This rank's rows as read with the requested floating-point type (`--fptype`): dense, or CSR (daal4py's 3-line
/// files). Where the rows came from (<see cref="Origin"/>) lets a command name the file and line of a bad value.
/// Given a <see cref="StreamPlan"/> instead of rows, dense input is read only when a command asks for it: a streaming
/// algorithm (<see cref="MergeableAlgorithm{TResult}"/>) then reads it chunk by chunk when `--chunk-rows` asks for it or
/// the rank's share exceeds the memory budget, so only one chunk and the partial result are in memory; any other use
/// reads the whole share.
/// </summary>
internal sealed class InputTable
{
    private readonly StreamPlan? _plan;
    private Table<double>? _double;
    private Table<float>? _single;
    private readonly CsrTable<double>? _sparseDouble;
    private readonly CsrTable<float>? _sparseSingle;

    public InputTable(Table<double> table, InputOrigin? origin = null) => (_double, Origin) = (table, origin);

    public InputTable(Table<float> table, InputOrigin? origin = null) => (_single, Origin) = (table, origin);

    public InputTable(StreamPlan plan) => _plan = plan;

    public InputTable(CsrTable<double> table, InputOrigin? origin = null) => (_sparseDouble, Origin) = (table, origin);

    public InputTable(CsrTable<float> table, InputOrigin? origin = null) => (_sparseSingle, Origin) = (table, origin);

    /// <summary>The file and first row these rows came from; null for generated rows.</summary>
    public InputOrigin? Origin { get; }

    /// <summary>Labels that came with generated rows (benchmarks); null when the rows came from files.</summary>
    public Table<double>? GeneratedLabels { get; init; }

    /// <summary>The plan when the rows are streamed rather than read whole (`--chunk-rows`, or over the memory budget); else null.</summary>
    public StreamPlan? Streaming => _plan is { Streams: true } && _double is null && _single is null ? _plan : null;

    /// <summary>How dense rows from files are read (whole or streamed); null for rows given whole (CSR, generated).</summary>
    public StreamPlan? Plan => _plan;

    public bool IsSparse => _sparseDouble is not null || _sparseSingle is not null;

    public bool IsFloat => _plan?.AsFloat ?? (_single is not null || _sparseSingle is not null);

    public int Rows => Load()._double?.Rows ?? _single?.Rows ?? _sparseDouble?.Rows ?? _sparseSingle!.Rows;

    public int Columns => Load()._double?.Columns ?? _single?.Columns ?? _sparseDouble?.Columns ?? _sparseSingle!.Columns;

    /// <summary>The dense rows as doubles (a view when read as double, else a widened copy).</summary>
    public Table<double> AsDouble()
        => Load()._double ?? _single?.ToDouble() ?? throw new DistalException(FailureKind.Usage, "this command takes dense input, not CSR");

    public Table<double>? DenseDouble => Load()._double;

    public Table<float>? DenseSingle => Load()._single;

    public CsrTable<double>? SparseDouble => _sparseDouble;

    public CsrTable<float>? SparseSingle => _sparseSingle;

    /// <summary>Runs Lloyd's iterations on the rows in their own type from <paramref name="initialCentroids"/>.</summary>
    public KMeansResult Compute(KMeans algorithm, Table<double> initialCentroids)
        => Load()._double is not null ? algorithm.Compute(_double!, initialCentroids)
            : _single is not null ? algorithm.Compute(_single, initialCentroids)
            : throw DenseOnly("kmeans");

    /// <summary>Runs <paramref name="algorithm"/> on the rows in their own type (CSR for the algorithms that take it).</summary>
    public TResult Compute<TResult>(Algorithm<TResult> algorithm)
    {
        if (_plan is { Streams: true } && _double is null && _single is null && algorithm is MergeableAlgorithm<TResult> streaming)
        {
            return _plan.AsFloat ? _plan.Stream<float, TResult>(streaming) : _plan.Stream<double, TResult>(streaming);
        }

        if (Load()._double is not null)
        {
            return algorithm.Compute(_double!);
        }

        if (_single is not null)
        {
            return algorithm.Compute(_single);
        }

        object result = algorithm switch
        {
            LowOrderMoments moments => _sparseDouble is not null ? moments.Compute(_sparseDouble) : moments.Compute(_sparseSingle!),
            Covariance covariance => _sparseDouble is not null ? covariance.Compute(_sparseDouble) : covariance.Compute(_sparseSingle!),
            _ => throw DenseOnly(algorithm.GetType().Name),
        };
        return (TResult)result;
    }

    /// <summary>Reads the whole share (collectively, like every rank) the first time dense rows are needed.</summary>
    private InputTable Load()
    {
        if (_plan is not null && _double is null && _single is null)
        {
            if (_plan.ChunkRowsAsked)
            {
                // Reached only by commands whose algorithm does not stream from the CLI yet (k-means init, training).
                throw new DistalException(FailureKind.Usage, "this command needs all of its rows in memory: run it without --chunk-rows");
            }

            using ProgressLine? progress = _plan.StartProgress();
            if (_plan.AsFloat)
            {
                _single = DataInput.Read<float>(_plan.Communicator, _plan.Inputs, _plan.Source.Format, _plan.Source.Columns, progress);
            }
            else
            {
                _double = DataInput.Read<double>(_plan.Communicator, _plan.Inputs, _plan.Source.Format, _plan.Source.Columns, progress);
            }
        }

        return this;
    }

    private static DistalException DenseOnly(string algorithm)
        => new(FailureKind.Usage, $"{algorithm} takes dense input; CSR input is taken by low-order-moments, covariance and naive Bayes");

    /// <summary>
    /// The first <paramref name="dataColumns"/> columns and the rest, as two tables of the same type (copies: a
    /// table is one row-major block). Used for `--responses K`; the caller keeps the pair for reruns.
    /// </summary>
    public (InputTable Data, InputTable Target) SplitColumns(int dataColumns)
        => IsSparse ? throw DenseOnly("--responses") : Load()._double is not null
            ? (new InputTable(CopyColumns(_double!, 0, dataColumns)), new InputTable(CopyColumns(_double!, dataColumns, _double!.Columns - dataColumns)))
            : (new InputTable(CopyColumns(_single!, 0, dataColumns)), new InputTable(CopyColumns(_single!, dataColumns, _single!.Columns - dataColumns)));

    /// <summary>Trains <paramref name="algorithm"/> on these rows and <paramref name="target"/>'s, in their own type.</summary>
    public TResult Compute<TResult>(SupervisedAlgorithm<TResult> algorithm, InputTable target)
        => Load()._double is not null ? algorithm.Compute(_double!, target.Load()._double!)
            : _single is not null ? algorithm.Compute(_single, target.Load()._single!)
            : throw DenseOnly(algorithm.GetType().Name);

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
}

/// <summary>Where a rank's rows came from: the file, the global index of its first row in it, and for CSR files the line of the values.</summary>
internal sealed record InputOrigin(string Path, long FirstRow, long CsrValuesLine = 0);

/// <summary>
/// Where this rank's rows come from and whether they are streamed: `--chunk-rows N`, or automatically (chunks of
/// <see cref="DefaultChunkRows"/>) when the rank's share of the input files is larger than the memory budget
/// (`--memory-budget`, by default half the memory available to the process, split between the ranks of the process).
/// </summary>
internal sealed partial class StreamPlan
{
    public const int DefaultChunkRows = 1 << 16;

    /// <summary>
    /// Rows per chunk when a reduction streams CSV by default: a chunk of 20 columns is 2.6 MB of doubles, which stays
    /// in the caches, where a whole table would be fresh memory touched once (measured in docs/benchmarks.md).
    /// </summary>
    public const int CsvChunkRows = 1 << 14;

    private readonly bool _showProgress;
    private readonly bool _forceProgress;

    /// <summary>Streamed only because the command reduces CSV (no --chunk-rows): input errors read as in memory.</summary>
    private readonly bool _csvByDefault;

    /// <param name="streamsCsv">The command only reduces its rows to a result, so seekable CSV input is streamed even under the budget.</param>
    public StreamPlan(Communicator communicator, IReadOnlyList<string> inputs, bool asFloat, InputSource source, int? chunkRows, long? memoryBudget, int ranksInProcess, (bool Show, bool Forced) progress = default, bool streamsCsv = false)
    {
        _showProgress = progress.Show && communicator.Rank == 0;
        _forceProgress = progress.Forced;
        Communicator = communicator;
        Inputs = inputs;
        AsFloat = asFloat;
        Source = source;
        ChunkRowsAsked = chunkRows is not null;
        long budget = memoryBudget ?? (GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2 / Math.Max(1, ranksInProcess));
        bool overBudget = ShareBytes() > budget;
        bool csvByDefault = streamsCsv && !ChunkRowsAsked && !overBudget && IsSeekableCsv();
        ChunkRows = chunkRows ?? (csvByDefault ? CsvChunkRows : DefaultChunkRows);

        // Every rank must take the same path: streaming and in-memory runs make different collective calls.
        bool streams = ChunkRowsAsked || overBudget || csvByDefault;
        int[] choices = communicator.Allgather((streams ? 1 : 0) | (csvByDefault ? 2 : 0));
        Streams = choices.Any(c => (c & 1) != 0);
        _csvByDefault = choices.Any(c => (c & 2) != 0);
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
        long rows = 0;
        int columns = 0;
        Communicator.Collectively(() =>
        {
            (string path, int share, int shares) = ShareOfThisRank();
            int threads = ThreadBudget.For(Communicator);
            if (threads > 1 && Source.Columns is null && (Source.Format ?? DataFile.FormatOf(path)) is CsvFormat)
            {
                // Each thread streams a piece of the share into a computation of its own; they are merged after.
                (rows, columns) = online.AddCsvShare<T>(algorithm.CreateOnline, path, share, shares, ChunkRows, threads, progress is null ? null : progress.AddRows, progress);
                return;
            }

            foreach (Table<T> chunk in ChunksOfThisRank<T>(progress))
            {
                (rows, columns) = (rows + chunk.Rows, chunk.Columns);
                progress?.AddRows(chunk.Rows);
                online.AddRows(chunk);
            }
        });
        if (_csvByDefault)
        {
            // The in-memory read's checks and messages (no rows anywhere, ranks of different widths).
            DataInput.AgreeOnColumns(Communicator, rows, columns, Inputs);
        }

        return online.Finalize();
    }

    /// <summary>This rank's rows, chunk by chunk (not collective: callers read inside <c>Collectively</c>).</summary>
    private IEnumerable<Table<T>> ChunksOfThisRank<T>(ProgressLine? progress)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        (string path, int share, int shares) = ShareOfThisRank();
        TableFormat format = Source.Format ?? DataFile.FormatOf(path);
        return format.ReadChunks<T>(path, share, shares, ChunkRows, new TableReadOptions { Columns = Source.Columns, Progress = progress });
    }

    /// <summary>A status line (iterations) on rank 0 when progress is shown; null otherwise.</summary>
    public ProgressLine? StartStatus(string what) => _showProgress ? new ProgressLine(what, 0, Console.Error, _forceProgress) : null;

    /// <summary>
    /// Lloyd's iterations re-reading this rank's rows on every pass, a chunk at a time (collective; any rank's read
    /// failure is the same error everywhere).
    /// </summary>
    public KMeansResult Lloyd(KMeans algorithm, Table<double> initialCentroids)
        => AsFloat ? algorithm.ComputeOutOfCore(() => ChunksOfThisRank<float>(null), initialCentroids)
            : algorithm.ComputeOutOfCore(() => ChunksOfThisRank<double>(null), initialCentroids);

    /// <summary>A progress line for reading this rank's share, on rank 0 when progress is shown; null otherwise.</summary>
    public ProgressLine? StartProgress()
        => _showProgress ? new ProgressLine(Streams && !_csvByDefault ? "streaming" : "reading", ShareBytes(), Console.Error, _forceProgress) : null;

    /// <summary>One file per rank, or one file split across the ranks (as for reading in memory).</summary>
    private (string Path, int Share, int Shares) ShareOfThisRank()
    {
        int size = Communicator.Size;
        return Inputs.Count == size ? (Inputs[Communicator.Rank], 0, 1)
            : Inputs.Count == 1 ? (Inputs[0], Communicator.Rank, size)
            : throw new DistalException(FailureKind.Usage, $"{Inputs.Count} input files for {size} ranks: give one file per rank, or one file to split across the ranks");
    }

    /// <summary>
    /// Whether this rank's input is CSV in a file it can seek in (a pipe is read whole); false on any problem with the
    /// file, which the in-memory read then reports collectively.
    /// </summary>
    private bool IsSeekableCsv()
    {
        try
        {
            string path = ShareOfThisRank().Path;
            if (Source.Columns is not null || (Source.Format ?? DataFile.FormatOf(path)) is not CsvFormat)
            {
                return false;
            }

            // Opening a named pipe would wait for its writer, and a pipe has no length: only a file with bytes is opened.
            if (new FileInfo(SequentialInput.Resolve(path)).Length == 0)
            {
                return false;
            }

            using var handle = CsvReader.Open(path, sequential: true);
            return SequentialInput.CanSeek(handle);
        }
        catch (Exception e) when (e is DistalException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return false;
        }
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
