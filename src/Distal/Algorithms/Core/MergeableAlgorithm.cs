using System.Numerics;
using Distal.Communication;

namespace Distal.Algorithms;

/// <summary>
/// An algorithm that is a partial result + merge + finalize. Batch, streaming, distributed and
/// streaming + distributed modes all follow from those three operations; see <see cref="CreateOnline"/>.
/// </summary>
/// <typeparam name="TResult">The result type.</typeparam>
public abstract class MergeableAlgorithm<TResult> : Algorithm<TResult>
{
    private protected MergeableAlgorithm()
    {
    }

    /// <summary>
    /// Starts a streaming (online) computation: add chunks of rows as they arrive, finalize whenever a result is
    /// wanted, and keep adding afterwards. With <see cref="Algorithm{TResult}.Distributed"/> set, each rank streams
    /// its own chunks and <see cref="OnlineComputation{TResult}.Finalize"/> is collective.
    /// </summary>
    public OnlineComputation<TResult> CreateOnline() => new(this, ResolveCommunicator());

    /// <summary>An empty partial for rows of <paramref name="columns"/> columns.</summary>
    internal abstract PartialResult CreatePartial(int columns);

    /// <summary>Rebuilds a partial from its bytes.</summary>
    internal abstract PartialResult DecodePartial(ReadOnlySpan<byte> bytes);

    /// <summary>Folds <paramref name="rows"/> (row-major, <c>partial.Columns</c> wide) into <paramref name="partial"/>.</summary>
    internal abstract void Accumulate<T>(PartialResult partial, ReadOnlySpan<T> rows)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>;

    /// <summary>Turns the partial over all rows into the result; validates what needs all rows (enough rows, ...).</summary>
    internal abstract TResult Finalize(PartialResult partial);

    internal override TResult ComputeCore<T>(Table<T> data, Communicator communicator)
    {
        var partial = communicator.Collectively(() => AccumulateParallel(data, ThreadBudget.For(communicator)));
        return FinalizeCollective(partial, communicator);
    }

    internal TResult FinalizeCollective(PartialResult partial, Communicator communicator)
    {
        var merged = PartialReduction.Reduce(communicator, partial, DecodePartial);
        return communicator.Collectively(() => Finalize(merged));
    }

    /// <summary>
    /// Accumulates <paramref name="data"/> with up to <paramref name="threads"/> threads, each into its own partial over
    /// a contiguous block of rows; the partials merge in block order, so the result depends only on the thread count.
    /// </summary>
    internal PartialResult AccumulateParallel<T>(Table<T> data, int threads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // Below this many values per thread, threading costs more than it saves.
        const int MinValuesPerThread = 1 << 16;
        int columns = data.Columns;
        long values = (long)data.Rows * columns;
        int blocks = (int)Math.Clamp(values / MinValuesPerThread, 1, Math.Max(1, threads));
        if (blocks == 1)
        {
            var single = CreatePartial(columns);
            Accumulate<T>(single, data.Span);
            return single;
        }

        var partials = new PartialResult[blocks];
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = blocks }, b =>
        {
            int start = (int)((long)data.Rows * b / blocks);
            int end = (int)((long)data.Rows * (b + 1) / blocks);
            var partial = CreatePartial(columns);
            Accumulate<T>(partial, data.SliceRows(start, end - start).Span);
            partials[b] = partial;
        });

        for (int b = 1; b < blocks; b++)
        {
            partials[0].Merge(partials[b]);
        }

        return partials[0];
    }
}
