using Distal.Algorithms;
using Distal.Communication;

namespace Distal.MpiTests;

/// <summary>
/// A covariance partial of 16 384 columns (p² doubles: 2 GiB, beyond what one .NET byte array holds) reduced over
/// the ranks: it travels in segments (<see cref="PartialBytes"/>) and every entry must equal the closed form, the
/// same bits on every rank. Opt-in (about 7 GiB of memory per rank): tests/run-mpi-tests.sh runs it when
/// DISTAL_TEST_LARGE=1, under each MPI and on 2 embedded ranks. DISTAL_LARGE_PARTIAL_COLUMNS sets another width (to
/// measure how memory grows with it on a small case).
/// </summary>
internal static class LargePartialChecks
{
    private static readonly int Columns = int.TryParse(Environment.GetEnvironmentVariable("DISTAL_LARGE_PARTIAL_COLUMNS"), out int c) ? c : 16_384;

    public static void Run(Communicator world, CheckLog log) => log.Group("large covariance partial", () =>
    {
        // Rank r holds rows a = 2r + 1 and 2r + 2 of x_ij = a·(j + 1) + j, so over n = 2P rows
        // cov(x_j, x_k) = var(a)·(j + 1)(k + 1) with var(a) = n(n + 1)/12 (a = 1..n); every entry differs, so a
        // segment put in the wrong place or dropped shows.
        var data = new double[2 * Columns];
        for (int i = 0; i < 2; i++)
        {
            double a = (2 * world.Rank) + i + 1;
            for (int j = 0; j < Columns; j++)
            {
                data[(i * Columns) + j] = (a * (j + 1)) + j;
            }
        }

        long started = Environment.TickCount64;
        var result = new Covariance { Distributed = true, Communicator = world }.Compute(Table.FromArray(data, 2, Columns));
        double seconds = (Environment.TickCount64 - started) / 1000.0;
        var covariance = result.Covariance!.Span;
        double n = 2.0 * world.Size;
        double variance = n * (n + 1) / 12;
        long wrong = 0;
        double worst = 0;
        ulong bits = 0;
        for (int j = 0; j < Columns; j++)
        {
            for (int k = 0; k < Columns; k++)
            {
                double value = covariance[(j * Columns) + k];
                double expected = variance * (j + 1) * (k + 1);
                double error = Math.Abs(value - expected) / expected;
                worst = Math.Max(worst, error);
                wrong += error <= 1e-12 ? 0 : 1;
                bits = unchecked((bits * 1_000_003) + (ulong)BitConverter.DoubleToInt64Bits(value));
            }
        }

        log.Check(wrong == 0, $"large covariance partial: {wrong} of {(long)Columns * Columns} entries off the closed form by more than 1e-12 relative (worst {worst:E2})");
        long[] all = world.AllgatherV<long>([unchecked((long)bits)], out _);
        log.Check(all.All(b => b == all[0]), "large covariance partial: the same bits on every rank");
        if (world.Rank == 0)
        {
            Console.Error.WriteLine($"large covariance partial: {Columns} columns over {world.Size} ranks in {seconds:F1} s, worst relative error {worst:E2}");
        }
    });
}
