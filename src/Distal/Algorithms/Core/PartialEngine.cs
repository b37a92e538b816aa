using System.Numerics;
using Distal.Communication;

namespace Distal.Algorithms;

/// <summary>
/// Runs a mergeable algorithm in every mode: batch (threaded accumulation over row blocks), streaming,
/// distributed, and streaming + distributed. The algorithm supplies only its typed partial's create, accumulate and
/// finalize (<see cref="IMergeableAlgorithm{TPartial, TResult}"/>).
/// </summary>
/// <typeparam name="TResult">The algorithm's result type.</typeparam>
internal abstract class PartialEngine<TResult>
{
    /// <summary>The whole computation over this rank's rows, collective over the context's communicator.</summary>
    public abstract TResult Compute<T>(IRowTable<T> data, Table<T>? target, ComputeContext context)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>;

    /// <summary>A streaming computation on this rank.</summary>
    public abstract OnlineState<TResult> StartOnline(ComputeContext context);

    /// <summary>
    /// Checks the partial's encoding on one rank's rows: accumulates a partial, encodes it, decodes the bytes and
    /// encodes again. Returns whether both encodings are equal, and the results finalized from the original and
    /// from the decoded partial (equal bit for bit when nothing is lost).
    /// </summary>
    public abstract (bool SameBytes, TResult Original, TResult Decoded) RoundTrip<T>(IRowTable<T> data, Table<T>? target, ComputeContext context)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>;
}

/// <summary>Creates engines.</summary>
internal static class PartialEngine
{
    /// <summary>The engine of <paramref name="algorithm"/> (cheap: it only holds the algorithm).</summary>
    public static PartialEngine<TResult> Of<TPartial, TResult>(IMergeableAlgorithm<TPartial, TResult> algorithm)
        where TPartial : class, IPartial<TPartial>
        => new PartialEngine<TPartial, TResult>(algorithm);
}

/// <summary>The engine for one partial type.</summary>
internal sealed class PartialEngine<TPartial, TResult>(IMergeableAlgorithm<TPartial, TResult> algorithm) : PartialEngine<TResult>
    where TPartial : class, IPartial<TPartial>
{
    // Below this many values per thread, threading costs more than it saves.
    private const int MinValuesPerThread = 1 << 16;

    /// <summary>Chunks per thread in <see cref="AccumulateParallel{T}"/>.</summary>
    private const int ChunksPerThread = 4;

    public IMergeableAlgorithm<TPartial, TResult> Algorithm { get; } = algorithm;

    public override TResult Compute<T>(IRowTable<T> data, Table<T>? target, ComputeContext context)
    {
        var communicator = context.Communicator;
        var input = communicator.Collectively(() => Pair(data, target));
        var shape = AgreeShape(communicator, input.Shape, input.Rows > 0, input.Data.ColumnsIsLowerBound);
        var partial = communicator.Collectively(() => AccumulateParallel(input, shape, context));
        return FinalizeCollective(partial, context);
    }

    public override OnlineState<TResult> StartOnline(ComputeContext context) => new OnlineState<TPartial, TResult>(this, context);

    public override (bool SameBytes, TResult Original, TResult Decoded) RoundTrip<T>(IRowTable<T> data, Table<T>? target, ComputeContext context)
    {
        var input = Pair(data, target);
        var partial = AccumulateParallel(input, input.Shape, context);
        var bytes = Partials.Encode(partial);
        var decoded = Partials.Decode<TPartial>(bytes);
        bool same = bytes.ContentEquals(Partials.Encode(decoded));
        return (same, Algorithm.Finalize(partial, context), Algorithm.Finalize(decoded, context));
    }

    /// <summary>Checks that the inputs belong together (a target exactly when the algorithm is supervised, equal rows).</summary>
    public AlgorithmInput<T> Pair<T>(IRowTable<T> data, Table<T>? target)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(data);
        if ((target is null) != (Algorithm.TargetName is null))
        {
            throw new DistalException(FailureKind.Usage, Algorithm.TargetName is null
                ? $"{Algorithm.Name} takes no second input"
                : $"{Algorithm.Name} needs {Algorithm.TargetName} besides the data");
        }

        return new AlgorithmInput<T>(data, target, Algorithm.TargetName);
    }

    public InputShape AgreeShape(Communicator communicator, InputShape local, bool hasRows, bool lowerBound)
        => ShapeAgreement.Agree(communicator, local, hasRows, lowerBound, Algorithm.TargetName);

    /// <summary>Reduces every rank's partial (binomial tree, then broadcast) and finalizes it on every rank.</summary>
    public TResult FinalizeCollective(TPartial partial, ComputeContext context)
    {
        var merged = PartialReduction.Reduce(context.Communicator, partial);
        return context.Communicator.Collectively(() => Algorithm.Finalize(merged, context));
    }

    /// <summary>
    /// Accumulates <paramref name="input"/> with up to <see cref="ComputeContext.Threads"/> threads. The rows are cut
    /// into contiguous chunks, each accumulated into its own partial, and the partials merge in chunk order, so the
    /// result depends only on the thread count, never on scheduling. There are a few chunks per thread, taken by
    /// whichever thread is free: on a machine whose second vCPU comes and goes, a thread that is held up no longer
    /// leaves the others waiting for half of the rows.
    /// </summary>
    public TPartial AccumulateParallel<T>(AlgorithmInput<T> input, InputShape shape, ComputeContext context)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        long columns = Math.Max(1, shape.DataColumns + shape.TargetColumns);
        long values = (long)input.Rows * columns;
        int threads = (int)Math.Clamp(values / MinValuesPerThread, 1, Math.Max(1, context.Threads));
        threads = Math.Min(threads, Math.Max(1, input.Rows));
        if (threads == 1)
        {
            var single = Algorithm.CreatePartial(shape, context);
            if (input.Rows > 0)
            {
                Algorithm.Accumulate(single, input, context);
            }

            return single;
        }

        int chunks = ChunkCount(threads, values, columns);
        var partials = new TPartial[chunks];
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, b =>
        {
            int start = (int)((long)input.Rows * b / chunks);
            int end = (int)((long)input.Rows * (b + 1) / chunks);
            var partial = Algorithm.CreatePartial(shape, context);
            Algorithm.Accumulate(partial, input.SliceRows(start, end - start), context);
            partials[b] = partial;
        });

        for (int b = 1; b < chunks; b++)
        {
            partials[0].Merge(partials[b]);
        }

        return partials[0];
    }

    /// <summary>
    /// <see cref="ChunksPerThread"/> chunks per thread while each keeps <see cref="MinValuesPerThread"/> values and the
    /// partials stay small beside the rows: a partial can hold a columns × columns matrix (covariance, PCA, the
    /// regressions), and wide data keeps one chunk per thread rather than several such matrices.
    /// </summary>
    private static int ChunkCount(int threads, long values, long columns)
    {
        long chunks = (long)threads * ChunksPerThread;
        while (chunks > threads && (values / chunks < MinValuesPerThread || chunks * columns * columns > values / 8))
        {
            chunks -= threads;
        }

        return (int)chunks;
    }
}
