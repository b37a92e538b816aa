using System.Numerics;

namespace Distal.Communication;

/// <summary>One rank of a <see cref="LocalWorld"/>.</summary>
internal sealed class LocalCommunicator(LocalWorld world, int rank) : Communicator
{
    public override int Rank { get; } = rank;

    public override int Size => world.Size;

    public override string Description => $"embedded engine, rank {Rank} of {Size}";

    internal LocalWorld World => world;

    internal override int RanksOnNode => world.Size;

    public override void Barrier() => world.Wait(Rank);

    public override void Allreduce<T>(Span<T> values, ReduceOperation operation)
    {
        T[] mine = values.ToArray();
        T[] reduced = world.Exchange(Rank, mine, slots => Reduce<T>(slots, mine.Length, operation));
        reduced.CopyTo(values);
    }

    public override void Broadcast<T>(Span<T> values, int root)
    {
        CheckRank(root);
        T[]? mine = Rank == root ? values.ToArray() : null;
        T[] received = world.Exchange(Rank, mine, slots => (T[])slots[root]!);
        if (received.Length != values.Length)
        {
            throw new DistalException(FailureKind.Communication, $"Broadcast length mismatch: root sent {received.Length}, rank {Rank} expects {values.Length}.");
        }

        if (Rank != root)
        {
            received.CopyTo(values);
        }
    }

    public override T[] AllgatherV<T>(ReadOnlySpan<T> values, out int[] counts)
    {
        T[] mine = values.ToArray();
        (T[] all, int[] c) = world.Exchange(Rank, mine, Concatenate<T>);
        counts = c;
        return all;
    }

    public override T[] GatherV<T>(ReadOnlySpan<T> values, int root, out int[] counts)
    {
        CheckRank(root);
        T[] mine = values.ToArray();
        bool isRoot = Rank == root;
        (T[] all, int[] c) = world.Exchange(Rank, mine, slots => isRoot ? Concatenate<T>(slots) : ([], []));
        counts = c;
        return all;
    }

    public override T ExclusiveScan<T>(T value)
    {
        int rank = Rank;
        return world.Exchange(Rank, value, slots =>
        {
            T sum = T.Zero;
            for (int r = 0; r < rank; r++)
            {
                sum += (T)slots[r]!;
            }

            return sum;
        });
    }

    public override void Send<T>(ReadOnlySpan<T> values, int destination, int tag)
    {
        CheckRank(destination);
        world.Post(Rank, destination, tag, values.ToArray());
    }

    public override T[] Receive<T>(int source, int tag)
    {
        CheckRank(source);
        return (T[])world.Take(source, Rank, tag);
    }

    public override Communicator Split(int color, int key)
    {
        int rank = Rank;
        var members = world.Exchange(Rank, (color, key), slots =>
        {
            var list = new List<(int Key, int Rank)>();
            for (int r = 0; r < slots.Length; r++)
            {
                var (c, k) = ((int, int))slots[r]!;
                if (c == color)
                {
                    list.Add((k, r));
                }
            }

            list.Sort();
            return list;
        });

        // The group's first member creates the sub-world; a second exchange hands it to the others.
        int leader = members[0].Rank;
        LocalWorld? created = rank == leader ? new LocalWorld(members.Count, world.FailureSource, world.Timeout) : null;
        LocalWorld sub = world.Exchange(Rank, created, slots => (LocalWorld)slots[leader]!);
        return new LocalCommunicator(sub, members.FindIndex(m => m.Rank == rank));
    }

    private static T[] Reduce<T>(object?[] slots, int length, ReduceOperation operation)
        where T : unmanaged, INumber<T>
    {
        var result = ((T[])slots[0]!).AsSpan().ToArray();
        for (int r = 1; r < slots.Length; r++)
        {
            var other = (T[])slots[r]!;
            if (other.Length != length)
            {
                throw new DistalException(FailureKind.Communication, $"Allreduce length mismatch: rank 0 gave {length} values, rank {r} gave {other.Length}.");
            }

            for (int i = 0; i < length; i++)
            {
                result[i] = operation switch
                {
                    ReduceOperation.Sum => result[i] + other[i],
                    ReduceOperation.Min => T.Min(result[i], other[i]),
                    _ => T.Max(result[i], other[i]),
                };
            }
        }

        return result;
    }

    private static (T[] All, int[] Counts) Concatenate<T>(object?[] slots)
    {
        var counts = new int[slots.Length];
        long total = 0;
        for (int r = 0; r < slots.Length; r++)
        {
            counts[r] = ((T[])slots[r]!).Length;
            total += counts[r];
        }

        var all = new T[total];
        long offset = 0;
        for (int r = 0; r < slots.Length; r++)
        {
            var part = (T[])slots[r]!;
            part.CopyTo(all, offset);
            offset += part.Length;
        }

        return (all, counts);
    }

    private void CheckRank(int rank)
    {
        if ((uint)rank >= (uint)Size)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"Rank must be in [0, {Size}).");
        }
    }
}
