using System.Numerics;

namespace Distal.Algorithms;

/// <summary>
/// An unsupervised algorithm that is a partial result + merge + finalize. Batch, streaming, distributed and
/// streaming + distributed modes all follow from those three operations; see <see cref="CreateOnline"/>.
/// </summary>
/// <typeparam name="TResult">The result type.</typeparam>
public abstract class MergeableAlgorithm<TResult> : Algorithm<TResult>
{
    private protected MergeableAlgorithm()
    {
    }

    /// <summary>The engine that runs this algorithm's typed partial in every mode.</summary>
    internal abstract PartialEngine<TResult> Engine { get; }

    /// <summary>
    /// Starts a streaming (online) computation: add chunks of rows as they arrive, finalize whenever a result is
    /// wanted, and keep adding afterwards. With <see cref="Algorithm.Distributed"/> set, each rank streams its own
    /// chunks and <see cref="OnlineComputation{TResult}.Finalize"/> is collective.
    /// </summary>
    public OnlineComputation<TResult> CreateOnline() => new(Engine.StartOnline(ResolveContext()));

    internal override TResult ComputeCore<T>(IRowTable<T> data, ComputeContext context)
        => Engine.Compute(data, null, context);

    /// <summary>Computes over any row table (dense or sparse), for the public overloads of algorithms that take CSR rows.</summary>
    private protected TResult ComputeRows<T>(IRowTable<T> data)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(data);
        return ComputeCore(data, ResolveContext());
    }
}
