using System.Diagnostics;
using System.Globalization;
using Distal.Communication;

namespace Distal.Benchmarks;

/// <summary>
/// `dotnet Distal.Benchmarks.dll comm [--ranks P]`: the communication terms of docs/scaling.md. For message sizes
/// 8 B … 8 MiB it times a ping-pong between ranks 0 and 1 (half the round trip: α + m/β of one message), an
/// Allreduce of doubles, and a Broadcast, and prints one JSON line per size (medians over repetitions, microseconds).
/// Under an MPI launcher it uses the MPI world (`mpiexec -n P dotnet Distal.Benchmarks.dll comm`); otherwise
/// P embedded ranks (threads of this process, where a "message" is a memory copy).
/// </summary>
internal static class CommunicationRun
{
    public static int Run(string[] args)
    {
        int ranks = args.Length >= 2 && args[0] == "--ranks" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
        using (var world = Spmd.Init())
        {
            if (world.Size > 1)
            {
                Measure(world.Communicator, "mpi");
                return 0;
            }
        }

        Spmd.RunLocal(ranks, s => Measure(s.Communicator, "embedded"));
        return 0;
    }

    private static void Measure(Communicator communicator, string engine)
    {
        for (int bytes = 8; bytes <= 8 << 20; bytes *= 4)
        {
            int repeat = bytes <= 1 << 16 ? 200 : bytes <= 1 << 20 ? 40 : 10;
            var payload = new byte[bytes];
            var doubles = new double[bytes / 8];
            double pingPong = communicator.Size >= 2 ? Median(communicator, repeat, () => PingPong(communicator, payload)) / 2 : double.NaN;
            double allreduce = Median(communicator, repeat, () => communicator.Allreduce<double>(doubles, ReduceOperation.Sum));
            double broadcast = Median(communicator, repeat, () => communicator.Broadcast<byte>(payload, 0));
            if (communicator.Rank == 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"engine\": \"{engine}\", \"ranks\": {communicator.Size}, \"bytes\": {bytes}, \"pingPongHalfMicroseconds\": {pingPong:F2}, \"allreduceMicroseconds\": {allreduce:F2}, \"broadcastMicroseconds\": {broadcast:F2}}}"));
            }
        }
    }

    private static void PingPong(Communicator communicator, byte[] payload)
    {
        if (communicator.Rank == 0)
        {
            communicator.Send<byte>(payload, 1, 7);
            communicator.Receive<byte>(1, 7);
        }
        else if (communicator.Rank == 1)
        {
            communicator.Receive<byte>(0, 7);
            communicator.Send<byte>(payload, 0, 7);
        }
    }

    /// <summary>The median of <paramref name="repeat"/> timed runs (after 3 warm-up runs), in microseconds; every rank takes part.</summary>
    private static double Median(Communicator communicator, int repeat, Action step)
    {
        var times = new double[repeat];
        for (int i = -3; i < repeat; i++)
        {
            communicator.Barrier();
            long start = Stopwatch.GetTimestamp();
            step();
            double elapsed = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            if (i >= 0)
            {
                times[i] = elapsed;
            }
        }

        Array.Sort(times);
        // Rank 0's median, made the same on every rank so that the printed line is one agreed figure.
        double[] median = [times[repeat / 2]];
        communicator.Broadcast<double>(median, 0);
        return median[0];
    }
}
