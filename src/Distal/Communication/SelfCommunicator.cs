using System.Numerics;

namespace Distal.Communication;

/// <summary>A world of one rank: every collective is the identity. Used for batch mode and plain runs.</summary>
internal sealed class SelfCommunicator : Communicator
{
    private readonly Dictionary<int, Queue<Array>> _selfMessages = [];

    /// <summary>A shared instance for what needs no messages (thread budgets); computations create their own.</summary>
    public static SelfCommunicator Instance { get; } = new();

    public override int Rank => 0;

    public override int Size => 1;

    public override string Description => "single rank";

    public override void Barrier()
    {
    }

    public override void Allreduce<T>(Span<T> values, ReduceOperation operation)
    {
    }

    public override void Broadcast<T>(Span<T> values, int root) => CheckRank(root);

    public override T[] AllgatherV<T>(ReadOnlySpan<T> values, out int[] counts)
    {
        counts = [values.Length];
        return values.ToArray();
    }

    public override T[] GatherV<T>(ReadOnlySpan<T> values, int root, out int[] counts)
    {
        CheckRank(root);
        counts = [values.Length];
        return values.ToArray();
    }

    public override T ExclusiveScan<T>(T value) => T.Zero;

    public override void Send<T>(ReadOnlySpan<T> values, int destination, int tag)
    {
        CheckRank(destination);
        lock (_selfMessages)
        {
            if (!_selfMessages.TryGetValue(tag, out var queue))
            {
                _selfMessages[tag] = queue = new Queue<Array>();
            }

            queue.Enqueue(values.ToArray());
        }
    }

    public override T[] Receive<T>(int source, int tag)
    {
        CheckRank(source);
        lock (_selfMessages)
        {
            if (_selfMessages.TryGetValue(tag, out var queue) && queue.Count > 0)
            {
                return (T[])queue.Dequeue();
            }
        }

        throw new DistalException(FailureKind.Communication, $"Receive on a single rank with tag {tag} has no matching send (it would wait forever).");
    }

    public override Communicator Split(int color, int key) => new SelfCommunicator();

    private static void CheckRank(int rank)
    {
        if (rank != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, "A single-rank world has only rank 0.");
        }
    }
}
