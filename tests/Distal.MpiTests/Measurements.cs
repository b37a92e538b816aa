using System.Diagnostics;
using System.Globalization;
using Distal.Algorithms;
using Distal.Communication;
using Distal.Communication.Mpi;

namespace Distal.MpiTests;

/// <summary>The measurements of docs/cluster.md. Rank 0 prints one JSON line per measurement.</summary>
internal static class Measurements
{
    private const int Repeats = 7;

    /// <summary>
    /// A 50×50 double buffer (the size of a p = 50 covariance partial's matrix): raw MPI_Allreduce, Distal's
    /// rank-ordered allreduce of the same bytes, and the full partial reduction of a p = 50 covariance partial.
    /// Each timing is the median over repeats of the mean time per operation, slowest rank.
    /// </summary>
    public static void AllreduceOverhead(Communicator world, int iterations)
    {
        var mpi = world as MpiCommunicator ?? throw new DistalException(FailureKind.Usage, "--bench needs an MPI world (run under mpiexec)");
        var buffer = new double[50 * 50];
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = i * 0.25;
        }

        double raw = Time(world, iterations, () => mpi.NativeAllreduce(buffer.AsSpan(), ReduceOperation.Sum));
        double ordered = Time(world, iterations, () => mpi.Allreduce(buffer.AsSpan(), ReduceOperation.Sum));

        var partial = new CrossProductPartial(50, assumeCentered: false);
        var rows = new double[200 * 50];
        var random = new Random(world.Rank + 1);
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = random.NextDouble();
        }

        partial.Accumulate<double>(rows);
        var encoded = Partials.Encode(partial);
        double reduction = Time(world, iterations, () => PartialReduction.Reduce(mpi, Partials.Decode<CrossProductPartial>(encoded)));

        if (world.Rank == 0)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"measurement\":\"allreduce 50x50 double\",\"ranks\":{world.Size},\"mpi\":\"{Escape(world.Description)}\",\"rawMpiAllreduceMicroseconds\":{raw:F2},\"distalAllreduceMicroseconds\":{ordered:F2},\"covariancePartialReductionMicroseconds\":{reduction:F2},\"iterations\":{iterations}}}"));
        }
    }

    /// <summary>Covariance of ROWS×COLS random doubles split over the ranks (first rows % P ranks one extra row), computation only.</summary>
    public static void Covariance(Communicator world, int rows, int columns)
    {
        int mine = (rows / world.Size) + (world.Rank < rows % world.Size ? 1 : 0);
        var data = Table.FromArray(new double[(long)mine * columns], mine, columns);
        var random = new Random(1000 + world.Rank);
        Span<double> span = data.Span;
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = random.NextDouble();
        }

        var algorithm = new Covariance { Distributed = true, Communicator = world };
        _ = algorithm.Compute(data);
        double seconds = Time(world, 1, () => algorithm.Compute(data)) / 1e6;
        if (world.Rank == 0)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"measurement\":\"covariance\",\"rows\":{rows},\"cols\":{columns},\"ranks\":{world.Size},\"threadsPerRank\":{ThreadBudget.For(world)},\"medianSeconds\":{seconds:F4},\"mpi\":\"{Escape(world.Description)}\"}}"));
        }
    }

    /// <summary>Rank <paramref name="victim"/> kills itself (SIGKILL) while the others wait in a collective that can never complete.</summary>
    public static void DieOnRank(Communicator world, int victim)
    {
        world.Barrier();
        if (world.Rank == victim)
        {
            Process.GetCurrentProcess().Kill();
        }

        var values = new double[1000];
        world.Allreduce(values.AsSpan(), ReduceOperation.Sum);
    }

    /// <summary>Median over <see cref="Repeats"/> of the per-operation time in microseconds on the slowest rank.</summary>
    private static double Time(Communicator world, int iterations, Action operation)
    {
        for (int i = 0; i < Math.Min(iterations, 50); i++)
        {
            operation();
        }

        var samples = new double[Repeats];
        for (int repeat = 0; repeat < Repeats; repeat++)
        {
            world.Barrier();
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < iterations; i++)
            {
                operation();
            }

            double micros = Stopwatch.GetElapsedTime(start).TotalMicroseconds / iterations;
            samples[repeat] = world.Allreduce(micros, ReduceOperation.Max);
        }

        Array.Sort(samples);
        return samples[Repeats / 2];
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
