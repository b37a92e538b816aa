using System.Numerics;
using System.Runtime.InteropServices;
using Distal.Communication;
using Distal.Communication.Mpi;

namespace Distal.MpiTests;

/// <summary>
/// Every communicator operation against results each rank computes on its own: every rank can regenerate any
/// rank's contribution from a seed, so the expected value needs no communication.
/// </summary>
internal static class CommunicatorChecks
{
    public static void Run(Communicator world, CheckLog log)
    {
        log.Group("identity", () => Identity(world, log));
        log.Group("null reference", () => NullReferenceSurvives(log));
        Collectives(world, log, "default chunks", lengths: [0, 1, 7, 1000, 100_003]);
        log.Group("split", () => Split(world, log));
    }

    /// <summary>The collectives over several lengths; also run by <see cref="ChunkingChecks"/> with a lowered chunk limit.</summary>
    public static void Collectives(Communicator c, CheckLog log, string label, int[] lengths)
    {
        log.Group($"{label}: barrier", c.Barrier);
        foreach (int length in lengths)
        {
            string at = $"{label}, length {length}";
            log.Group($"{at}: allreduce", () =>
            {
                Allreduce(c, log, at, length, r => r.NextDouble() * 200 - 100);
                Allreduce(c, log, at, length, r => (float)(r.NextDouble() * 200 - 100));
                Allreduce(c, log, at, length, r => r.Next(-1_000_000, 1_000_000));
                Allreduce(c, log, at, length, r => r.NextInt64(-(1L << 60), 1L << 60));
                Allreduce(c, log, at, length, r => (byte)r.Next(256));
            });
            log.Group($"{at}: broadcast", () =>
            {
                Broadcast<double>(c, log, at, length);
                Broadcast<byte>(c, log, at, length);
            });
            log.Group($"{at}: gathers", () =>
            {
                Gathers<double>(c, log, at, length);
                Gathers<int>(c, log, at, length);
            });
            log.Group($"{at}: send/receive", () => SendReceive(c, log, at, length));
        }

        log.Group($"{label}: exclusive scan", () => ExclusiveScan(c, log, label));
    }

    private static void Identity(Communicator world, CheckLog log)
    {
        log.Check(world is MpiCommunicator, $"the world is MPI under a launcher (got {world.Description})");
        string? rank = Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_RANK") ?? Environment.GetEnvironmentVariable("PMI_RANK");
        string? size = Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") ?? Environment.GetEnvironmentVariable("PMI_SIZE");
        log.Check(rank is null || rank == world.Rank.ToString(System.Globalization.CultureInfo.InvariantCulture), $"rank {world.Rank} is the launcher's {rank}");
        log.Check(size is null || size == world.Size.ToString(System.Globalization.CultureInfo.InvariantCulture), $"size {world.Size} is the launcher's {size}");
        log.Check(world.Description.Contains("MPI", StringComparison.Ordinal), $"description names MPI: {world.Description}");

        // Every test run keeps all ranks on one node.
        log.Check(world.RanksOnNode == world.Size, $"ranks on node {world.RanksOnNode} = size {world.Size}");
        if (Environment.GetEnvironmentVariable(ThreadBudget.OverrideVariable) is null)
        {
            int expected = Math.Max(1, Environment.ProcessorCount / world.Size);
            log.Check(ThreadBudget.For(world) == expected, $"thread budget {ThreadBudget.For(world)} = {expected}");
        }
    }

    /// <summary>UCX's SIGSEGV handler would turn this into a crash; Distal sets UCX_HANDLE_ERRORS=none before init.</summary>
    private static void NullReferenceSurvives(CheckLog log)
    {
        string? nothing = Environment.GetEnvironmentVariable("DISTAL_MPITESTS_UNSET_VARIABLE");
        try
        {
            _ = nothing!.Length;
            log.Check(false, "a null dereference throws");
        }
        catch (NullReferenceException)
        {
            log.Check(true, "a null dereference throws");
        }
    }

    private static T[] Contribution<T>(int rank, int length, int salt, Func<Random, T> draw)
    {
        var random = new Random((rank * 7919) + (length * 31) + salt);
        var values = new T[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = draw(random);
        }

        return values;
    }

    private static void Allreduce<T>(Communicator c, CheckLog log, string at, int length, Func<Random, T> draw)
        where T : unmanaged, INumber<T>
    {
        foreach (var operation in (ReadOnlySpan<ReduceOperation>)[ReduceOperation.Sum, ReduceOperation.Min, ReduceOperation.Max])
        {
            int salt = (int)operation;
            T[] mine = Contribution(c.Rank, length, salt, draw);
            c.Allreduce(mine.AsSpan(), operation);

            // The embedded engine's definition: contributions folded in rank order.
            T[] expected = Contribution(0, length, salt, draw);
            for (int r = 1; r < c.Size; r++)
            {
                T[] other = Contribution(r, length, salt, draw);
                for (int i = 0; i < length; i++)
                {
                    expected[i] = operation switch
                    {
                        ReduceOperation.Sum => expected[i] + other[i],
                        ReduceOperation.Min => T.Min(expected[i], other[i]),
                        _ => T.Max(expected[i], other[i]),
                    };
                }
            }

            log.Check(SameBytes<T>(mine, expected), $"{at}: allreduce {operation} of {typeof(T).Name} equals the rank-order fold bitwise");
        }
    }

    private static void Broadcast<T>(Communicator c, CheckLog log, string at, int length)
        where T : unmanaged
    {
        for (int root = 0; root < c.Size; root++)
        {
            T[] expected = Contribution(root, length, 11, r => Draw<T>(r));
            T[] values = c.Rank == root ? Contribution(root, length, 11, r => Draw<T>(r)) : new T[length];
            c.Broadcast(values.AsSpan(), root);
            log.Check(SameBytes<T>(values, expected), $"{at}: broadcast of {typeof(T).Name} from root {root}");
        }

        T[]? variable = c.Rank == 0 ? Contribution(0, length, 12, r => Draw<T>(r)) : null;
        T[] received = c.BroadcastVariable(variable, 0);
        log.Check(SameBytes<T>(received, Contribution(0, length, 12, r => Draw<T>(r))), $"{at}: variable-length broadcast of {typeof(T).Name}");
    }

    /// <summary>Rank r gives (length + r) % 5 == 0 ? nothing : length + r values, so some ranks are empty.</summary>
    private static void Gathers<T>(Communicator c, CheckLog log, string at, int length)
        where T : unmanaged
    {
        int LengthOf(int rank) => (length + rank) % 5 == 0 ? 0 : length + rank;
        T[] mine = Contribution(c.Rank, LengthOf(c.Rank), 13, r => Draw<T>(r));
        var expected = new List<T>();
        var expectedCounts = new int[c.Size];
        for (int r = 0; r < c.Size; r++)
        {
            expectedCounts[r] = LengthOf(r);
            expected.AddRange(Contribution(r, LengthOf(r), 13, rnd => Draw<T>(rnd)));
        }

        T[] all = c.AllgatherV<T>(mine, out int[] counts);
        log.Check(SameBytes<T>(all, expected.ToArray()) && counts.SequenceEqual(expectedCounts), $"{at}: allgatherv of {typeof(T).Name}");

        int root = c.Size - 1;
        T[] gathered = c.GatherV<T>(mine, root, out int[] gatheredCounts);
        bool ok = c.Rank == root
            ? SameBytes<T>(gathered, expected.ToArray()) && gatheredCounts.SequenceEqual(expectedCounts)
            : gathered.Length == 0 && gatheredCounts.Length == 0;
        log.Check(ok, $"{at}: gatherv of {typeof(T).Name} to rank {root}");

        int[] ranks = c.Allgather(c.Rank * 10);
        log.Check(ranks.SequenceEqual(Enumerable.Range(0, c.Size).Select(r => r * 10)), $"{at}: allgather of one value");
    }

    /// <summary>A ring: rank r sends (length + r) values to r + 1. Even ranks send first, odd ranks receive first, so blocking sends cannot deadlock.</summary>
    private static void SendReceive(Communicator c, CheckLog log, string at, int length)
    {
        int next = (c.Rank + 1) % c.Size;
        int previous = (c.Rank + c.Size - 1) % c.Size;

        // A rank alone sends to itself.
        int LengthOf(int rank) => length + rank;
        double[] outgoing = Contribution(c.Rank, LengthOf(c.Rank), 17, r => r.NextDouble());
        double[] incoming;
        const int Tag = 77;
        if (c.Rank % 2 == 0)
        {
            c.Send<double>(outgoing, next, Tag);
            incoming = c.Receive<double>(previous, Tag);
        }
        else
        {
            incoming = c.Receive<double>(previous, Tag);
            c.Send<double>(outgoing, next, Tag);
        }

        log.Check(SameBytes<double>(incoming, Contribution(previous, LengthOf(previous), 17, r => r.NextDouble())), $"{at}: receive from rank {previous}");
    }

    private static void ExclusiveScan(Communicator c, CheckLog log, string label)
    {
        int intExpected = 0;
        long longExpected = 0;
        double doubleExpected = 0;
        for (int r = 0; r < c.Rank; r++)
        {
            intExpected += (r * 3) + 1;
            longExpected += (1L << 40) + r;
            doubleExpected += 0.1 * (r + 1);
        }

        log.Check(c.ExclusiveScan((c.Rank * 3) + 1) == intExpected, $"{label}: exclusive scan of int");
        log.Check(c.ExclusiveScan((1L << 40) + c.Rank) == longExpected, $"{label}: exclusive scan of long");
        double scanned = c.ExclusiveScan(0.1 * (c.Rank + 1));
        log.Check(BitConverter.DoubleToInt64Bits(scanned) == BitConverter.DoubleToInt64Bits(doubleExpected), $"{label}: exclusive scan of double ({scanned} vs {doubleExpected})");
    }

    private static void Split(Communicator world, CheckLog log)
    {
        int color = world.Rank % 2;
        using var half = world.Split(color, key: -world.Rank);
        int[] members = Enumerable.Range(0, world.Size).Where(r => r % 2 == color).Reverse().ToArray();
        log.Check(half.Size == members.Length, $"split: size {half.Size} = {members.Length}");
        log.Check(half.Rank == Array.IndexOf(members, world.Rank), $"split: rank {half.Rank} ordered by key");
        log.Check(half.Allreduce(world.Rank, ReduceOperation.Sum) == members.Sum(), "split: allreduce within the group");
        log.Check(half.Allgather(world.Rank).SequenceEqual(members), "split: allgather within the group in key order");
        log.Check(half.RanksOnNode == half.Size, "split: ranks on node");
        log.Check(half.Description.Contains("MPI", StringComparison.Ordinal), "split: still MPI");

        using var whole = half.Split(0, 0);
        log.Check(whole.Size == half.Size && whole.Rank == half.Rank, "split of a split");
        whole.Barrier();

        // The world is untouched by the groups.
        log.Check(world.Allreduce(1, ReduceOperation.Sum) == world.Size, "world after splits");
    }

    private static T Draw<T>(Random random)
        where T : unmanaged
    {
        Span<byte> bytes = stackalloc byte[System.Runtime.CompilerServices.Unsafe.SizeOf<T>()];
        random.NextBytes(bytes);
        return MemoryMarshal.Read<T>(bytes);
    }

    private static bool SameBytes<T>(T[] a, T[] b)
        where T : unmanaged
        => MemoryMarshal.AsBytes(a.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(b.AsSpan()));
}
