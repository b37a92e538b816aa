namespace Distal.Algorithms;

/// <summary>
/// A streaming computation (daal4py's <c>streaming=True</c>): chunks of rows are folded into a partial result as
/// they arrive, so memory does not grow with the data. <see cref="Finalize"/> may be called at any time and the
/// stream continues afterwards. In distributed mode each rank streams its own chunks and finalizing is collective;
/// a chunk that failed on one rank makes the next <see cref="Finalize"/> fail on every rank.
/// </summary>
/// <typeparam name="TResult">The algorithm's result type.</typeparam>
public sealed class OnlineComputation<TResult>
{
    private readonly OnlineState<TResult> _state;

    internal OnlineComputation(OnlineState<TResult> state) => _state = state;

    /// <summary>Number of rows added on this rank so far.</summary>
    public long RowsSeen => _state.RowsSeen;

    /// <summary>Folds in another computation of the same algorithm over other rows of this rank (streamed on another thread).</summary>
    internal void Absorb(OnlineComputation<TResult> other) => _state.Absorb(other._state);

    /// <summary>Adds a chunk of either element type (for callers generic over it).</summary>
    internal void AddRows<T>(Table<T> chunk)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
        => _state.Add(chunk, null);

    /// <summary>
    /// Streams share <paramref name="share"/> of <paramref name="shares"/> of a CSV file into this computation on up to
    /// <paramref name="threads"/> threads (<see cref="Data.CsvChunkReader.StreamPieces"/>): each thread streams a
    /// row-aligned piece into a computation of its own from <paramref name="createPiece"/>, and the pieces are folded
    /// in here in piece order, so the result depends only on the thread count. Not collective. Returns the rows and
    /// the columns read; <paramref name="rowsRead"/> hears of every chunk's rows, <paramref name="bytesRead"/> of the
    /// bytes.
    /// </summary>
    internal (long Rows, int Columns) AddCsvShare<T>(Func<OnlineComputation<TResult>> createPiece, string path, int share, int shares, int chunkRows, int threads, Action<long>? rowsRead = null, IProgress<long>? bytesRead = null)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        var pieces = new OnlineComputation<TResult>[Math.Max(1, threads)];
        var shapes = new (long Rows, int Columns)[pieces.Length];
        for (int i = 0; i < pieces.Length; i++)
        {
            pieces[i] = i == 0 ? this : createPiece();
        }

        int used = Data.CsvChunkReader.StreamPieces<T>(path, share, shares, chunkRows, pieces.Length, (i, chunk) =>
        {
            shapes[i] = (shapes[i].Rows + chunk.Rows, chunk.Columns);
            rowsRead?.Invoke(chunk.Rows);
            pieces[i].AddRows(chunk);
        }, bytesRead);
        for (int i = 1; i < used; i++)
        {
            Absorb(pieces[i]);
        }

        return (shapes.Sum(s => s.Rows), shapes.Max(s => s.Columns));
    }

    /// <summary>Adds a chunk of rows (this rank's, in distributed mode).</summary>
    public void Add(Table<double> chunk) => _state.Add(chunk ?? throw new ArgumentNullException(nameof(chunk)), null);

    /// <summary>Adds a chunk of rows; accumulation is in double.</summary>
    public void Add(Table<float> chunk) => _state.Add(chunk ?? throw new ArgumentNullException(nameof(chunk)), null);

    /// <summary>Adds rows given as row-major values, <paramref name="columns"/> per row; no copy.</summary>
    public void Add(ReadOnlyMemory<double> rows, int columns) => _state.Add(Rows(rows, columns), null);

    /// <summary>Adds rows given as row-major values, <paramref name="columns"/> per row; no copy.</summary>
    public void Add(ReadOnlyMemory<float> rows, int columns) => _state.Add(Rows(rows, columns), null);

    /// <summary>Adds rows given as row-major values, <paramref name="columns"/> per row (copied once: a span cannot be kept).</summary>
    public void Add(ReadOnlySpan<double> rows, int columns) => _state.Add(Rows(new ReadOnlyMemory<double>(rows.ToArray()), columns), null);

    /// <summary>Adds rows given as row-major values, <paramref name="columns"/> per row (copied once: a span cannot be kept).</summary>
    public void Add(ReadOnlySpan<float> rows, int columns) => _state.Add(Rows(new ReadOnlyMemory<float>(rows.ToArray()), columns), null);

    /// <summary>
    /// Adds a chunk of sparse rows (algorithms that take CSR input: moments, covariance). The chunk must carry its
    /// width (<see cref="CsrTable{T}"/> built with <c>columns</c>): chunks inferred from their largest index could
    /// disagree with each other.
    /// </summary>
    public void Add(CsrTable<double> chunk) => _state.Add(chunk ?? throw new ArgumentNullException(nameof(chunk)), null);

    /// <summary>Adds a chunk of sparse float rows (with its width); accumulation is in double.</summary>
    public void Add(CsrTable<float> chunk) => _state.Add(chunk ?? throw new ArgumentNullException(nameof(chunk)), null);

    /// <summary>
    /// The result over every row added so far (on every rank, in distributed mode: then it is collective, and a rank
    /// that added nothing still takes part). Adding may continue afterwards.
    /// </summary>
    public TResult Finalize() => _state.Finalize();

    internal static Table<T> Rows<T>(ReadOnlyMemory<T> rows, int columns)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if (rows.Length % columns != 0)
        {
            throw new ArgumentException($"{rows.Length} values are not a whole number of rows of {columns}.", nameof(rows));
        }

        // The table only reads: the accumulation never writes to its input.
        return new Table<T>(System.Runtime.InteropServices.MemoryMarshal.AsMemory(rows), rows.Length / columns, columns);
    }
}

/// <summary>
/// A streaming training (daal4py's <c>streaming=True</c> for supervised algorithms): chunks of rows and their targets
/// are folded into a partial result as they arrive. <see cref="Finalize"/> may be called at any time and the stream
/// continues afterwards; in distributed mode each rank streams its own chunks and finalizing is collective.
/// </summary>
/// <typeparam name="TResult">The algorithm's result type.</typeparam>
public sealed class SupervisedOnlineComputation<TResult>
{
    private readonly OnlineState<TResult> _state;

    internal SupervisedOnlineComputation(OnlineState<TResult> state) => _state = state;

    /// <summary>Number of rows added on this rank so far.</summary>
    public long RowsSeen => _state.RowsSeen;

    /// <summary>Adds a chunk of rows with their targets (dependent variables or labels), row for row.</summary>
    public void Add(Table<double> data, Table<double> target)
        => _state.Add(data ?? throw new ArgumentNullException(nameof(data)), target ?? throw new ArgumentNullException(nameof(target)));

    /// <summary>Adds a chunk of float rows with their targets; accumulation is in double.</summary>
    public void Add(Table<float> data, Table<float> target)
        => _state.Add(data ?? throw new ArgumentNullException(nameof(data)), target ?? throw new ArgumentNullException(nameof(target)));

    /// <summary>
    /// Adds a chunk of sparse rows (with its width: <see cref="CsrTable{T}"/> built with <c>columns</c>) and their
    /// targets, for algorithms that take CSR data (naive Bayes).
    /// </summary>
    public void Add(CsrTable<double> data, Table<double> target)
        => _state.Add(data ?? throw new ArgumentNullException(nameof(data)), target ?? throw new ArgumentNullException(nameof(target)));

    /// <summary>Adds a chunk of sparse float rows (with its width) and their targets; accumulation is in double.</summary>
    public void Add(CsrTable<float> data, Table<float> target)
        => _state.Add(data ?? throw new ArgumentNullException(nameof(data)), target ?? throw new ArgumentNullException(nameof(target)));

    /// <summary>The model over every row added so far (collective in distributed mode). Adding may continue.</summary>
    public TResult Finalize() => _state.Finalize();
}
