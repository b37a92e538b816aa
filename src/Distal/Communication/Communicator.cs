using System.Numerics;

namespace Distal.Communication;

/// <summary>A reduction applied element-wise by <see cref="Communicator.Allreduce{T}(Span{T}, ReduceOperation)"/>.</summary>
public enum ReduceOperation
{
    /// <summary>Sum.</summary>
    Sum,

    /// <summary>Minimum.</summary>
    Min,

    /// <summary>Maximum.</summary>
    Max,
}

/// <summary>
/// A group of ranks that run the same program (SPMD) and exchange data through collectives.
/// Every collective must be called by every rank of the group in the same order.
/// Implementations: a world of one rank, the embedded engine (ranks as threads of one process) and MPI.
/// </summary>
/// <remarks>
/// Element types are the unmanaged primitives <see cref="double"/>, <see cref="float"/>, <see cref="int"/>,
/// <see cref="long"/> and <see cref="byte"/>. Reductions combine contributions in rank order, so all ranks
/// see bitwise identical results.
/// </remarks>
public abstract class Communicator : IDisposable
{
    /// <summary>This rank's index, 0 ≤ Rank &lt; Size.</summary>
    public abstract int Rank { get; }

    /// <summary>Number of ranks in the group.</summary>
    public abstract int Size { get; }

    /// <summary>A short description of the engine (for logs and <c>--verbose</c>).</summary>
    public abstract string Description { get; }

    /// <summary>Blocks until every rank has called it.</summary>
    public abstract void Barrier();

    /// <summary>Replaces <paramref name="values"/> on every rank by their element-wise reduction over all ranks.</summary>
    public abstract void Allreduce<T>(Span<T> values, ReduceOperation operation)
        where T : unmanaged, INumber<T>;

    /// <summary>Copies <paramref name="values"/> of rank <paramref name="root"/> into <paramref name="values"/> on every rank.</summary>
    public abstract void Broadcast<T>(Span<T> values, int root)
        where T : unmanaged;

    /// <summary>
    /// Concatenates every rank's <paramref name="values"/> in rank order, on every rank.
    /// <paramref name="counts"/> receives how many values each rank gave.
    /// </summary>
    public abstract T[] AllgatherV<T>(ReadOnlySpan<T> values, out int[] counts)
        where T : unmanaged;

    /// <summary>
    /// Concatenates every rank's <paramref name="values"/> in rank order on rank <paramref name="root"/>
    /// (other ranks get an empty array and empty counts).
    /// </summary>
    public abstract T[] GatherV<T>(ReadOnlySpan<T> values, int root, out int[] counts)
        where T : unmanaged;

    /// <summary>Exclusive prefix sum: rank r gets the sum of <paramref name="value"/> over ranks 0..r−1 (zero on rank 0).</summary>
    public abstract T ExclusiveScan<T>(T value)
        where T : unmanaged, INumber<T>;

    /// <summary>Sends <paramref name="values"/> to rank <paramref name="destination"/>; pairs with <see cref="Receive{T}"/>.</summary>
    public abstract void Send<T>(ReadOnlySpan<T> values, int destination, int tag)
        where T : unmanaged;

    /// <summary>Receives a message of any length sent by <see cref="Send{T}"/> from <paramref name="source"/> with <paramref name="tag"/>.</summary>
    public abstract T[] Receive<T>(int source, int tag)
        where T : unmanaged;

    /// <summary>
    /// Splits this group: ranks passing the same <paramref name="color"/> form a new group, ordered by
    /// <paramref name="key"/> then by rank. Collective.
    /// </summary>
    public abstract Communicator Split(int color, int key);

    /// <summary>How many ranks of this group share this rank's node (and so its cores).</summary>
    internal virtual int RanksOnNode => 1;

    /// <summary>Every rank's <paramref name="value"/>, in rank order, on every rank.</summary>
    public T[] Allgather<T>(T value)
        where T : unmanaged
        => AllgatherV(new ReadOnlySpan<T>(in value), out _);

    /// <summary>The element-wise reduction of <paramref name="value"/> over all ranks.</summary>
    public T Allreduce<T>(T value, ReduceOperation operation)
        where T : unmanaged, INumber<T>
    {
        Span<T> one = [value];
        Allreduce(one, operation);
        return one[0];
    }

    /// <summary>Broadcasts a message whose length only <paramref name="root"/> knows; returns it on every rank.</summary>
    public T[] BroadcastVariable<T>(T[]? values, int root)
        where T : unmanaged
    {
        Span<long> length = [Rank == root ? values!.LongLength : 0];
        Broadcast(length, root);
        T[] result = Rank == root ? values! : new T[length[0]];
        Broadcast(result.AsSpan(), root);
        return result;
    }

    /// <summary>Releases the group's resources (for MPI, finalizes if Distal initialized it).</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
