using Distal.Communication;

namespace Distal.MpiTests;

/// <summary>
/// Messages of 2 GiB and more with the real per-call limit (int.MaxValue bytes): a gather whose result is ≥ 2³¹ bytes,
/// a broadcast of it and a point-to-point message of it. Opt-in (about 5 GiB of memory per rank with 2 ranks):
/// tests/run-mpi-tests.sh runs it when DISTAL_TEST_LARGE=1.
/// </summary>
internal static class LargeMessageChecks
{
    /// <summary>Doubles each rank gives: 1 GiB + 1 MiB, so two ranks gather 2 GiB + 2 MiB.</summary>
    private const int PerRank = (1 << 27) + (1 << 17);

    public static void Run(Communicator world, CheckLog log)
    {
        var mine = new double[PerRank];
        for (int i = 0; i < mine.Length; i++)
        {
            mine[i] = Expected(world.Rank, i);
        }

        log.Group("large allgather", () =>
        {
            double[] all = world.AllgatherV<double>(mine, out int[] counts);
            log.Check((long)all.Length * sizeof(double) >= 1L << 31, $"large allgather: {all.Length} doubles are at least 2^31 bytes");
            log.Check(counts.All(c => c == PerRank), "large allgather: counts");
            log.Check(Verify(all, world.Size), "large allgather: every value in place");

            // The broadcast of the whole result: rank 0 marks it, every rank must see the marks.
            if (world.Rank == 0)
            {
                all[0] = -1;
                all[^1] = -2;
            }
            else
            {
                Array.Clear(all);
            }

            world.Broadcast<double>(all, 0);
            log.Check(all[0] == -1 && all[^1] == -2 && all[PerRank] == Expected(1, 0), "large broadcast");

            if (world.Size >= 2)
            {
                if (world.Rank == 1)
                {
                    all[^1] = Expected(world.Size - 1, PerRank - 1);
                    all[0] = Expected(0, 0);
                    world.Send<double>(all, 0, 77);
                }
                else if (world.Rank == 0)
                {
                    double[] received = world.Receive<double>(1, 77);
                    log.Check(received.Length == all.Length && Verify(received, world.Size), "large send/receive");
                }
            }
        });

        log.Group("large gather to rank 1", () =>
        {
            int root = world.Size - 1;
            double[] gathered = world.GatherV<double>(mine, root, out _);
            log.Check(world.Rank == root ? Verify(gathered, world.Size) : gathered.Length == 0, "large gather to the last rank");
        });
    }

    private static double Expected(int rank, int index) => (rank * 1e10) + index;

    private static bool Verify(double[] all, int ranks)
    {
        for (int r = 0; r < ranks; r++)
        {
            for (int i = 0; i < PerRank; i++)
            {
                if (all[((long)r * PerRank) + i] != Expected(r, i))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
