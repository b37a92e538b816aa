using System.Numerics;
using Distal.Communication;

namespace Distal.Algorithms;

/// <summary>
/// A streaming computation (daal4py's <c>streaming=True</c>): chunks of rows are folded into a partial result as
/// they arrive, so memory does not grow with the data. <see cref="Finalize"/> may be called at any time and the
/// stream continues afterwards. In distributed mode each rank streams its own chunks and finalizing is collective.
/// </summary>
/// <typeparam name="TResult">The algorithm's result type.</typeparam>
public sealed class OnlineComputation<TResult>
{
    private readonly MergeableAlgorithm<TResult> _algorithm;
    private readonly Communicator _communicator;
    private PartialResult? _partial;

    internal OnlineComputation(MergeableAlgorithm<TResult> algorithm, Communicator communicator)
    {
        _algorithm = algorithm;
        _communicator = communicator;
    }

    /// <summary>Number of rows added on this rank so far.</summary>
    public long RowsSeen { get; private set; }

    /// <summary>Adds a chunk of rows (this rank's, in distributed mode).</summary>
    public void Add(Table<double> chunk) => AddTable(chunk);

    /// <summary>Adds a chunk of rows; accumulation is in double.</summary>
    public void Add(Table<float> chunk) => AddTable(chunk);

    /// <summary>Adds rows given as row-major values, <paramref name="columns"/> per row; no copy.</summary>
    public void Add(ReadOnlySpan<double> rows, int columns) => AddSpan(rows, columns);

    /// <summary>Adds rows given as row-major values, <paramref name="columns"/> per row; no copy.</summary>
    public void Add(ReadOnlySpan<float> rows, int columns) => AddSpan(rows, columns);

    /// <summary>
    /// The result over every row added so far (on every rank, in distributed mode: then it is collective, and a rank
    /// that added nothing still takes part). Adding may continue afterwards.
    /// </summary>
    public TResult Finalize()
    {
        int columns = _partial?.Columns ?? 0;
        if (_communicator.Size > 1)
        {
            // A rank that has seen no rows learns the column count from the others.
            columns = _communicator.Allreduce(columns, ReduceOperation.Max);
        }

        var snapshot = _partial is null ? _algorithm.CreatePartial(columns) : Clone(_partial);
        return _algorithm.FinalizeCollective(snapshot, _communicator);
    }

    private void AddTable<T>(Table<T> chunk)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(chunk);
        AddSpan<T>(chunk.Span, chunk.Columns);
    }

    private void AddSpan<T>(ReadOnlySpan<T> rows, int columns)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if (rows.Length % columns != 0)
        {
            throw new ArgumentException($"{rows.Length} values are not a whole number of rows of {columns}.", nameof(rows));
        }

        _partial ??= _algorithm.CreatePartial(columns);
        if (_partial.Columns != columns)
        {
            throw new DistalException(FailureKind.Input, $"chunk has {columns} columns; earlier chunks had {_partial.Columns}");
        }

        _algorithm.Accumulate(_partial, rows);
        RowsSeen += rows.Length / columns;
    }

    private PartialResult Clone(PartialResult partial)
    {
        var writer = new PartialWriter();
        partial.WriteTo(writer);
        return _algorithm.DecodePartial(writer.ToArray());
    }
}
