using System.Diagnostics;
using Distal.Communication;

namespace Distal.MpiTests;

/// <summary>
/// Failures the test script provokes on one rank of a real MPI job, to check that the job ends within seconds with
/// one line instead of hanging: an exception nobody catches, and a rank that stops answering (SIGSTOP).
/// </summary>
internal static class FailureModes
{
    /// <summary>
    /// Rank <paramref name="victim"/> throws an exception that escapes the program (a library user's bug), while the
    /// others wait in a collective. Spmd.Init's handler must print one line and call MPI_Abort — not MPI_Finalize.
    /// </summary>
    public static void ThrowOnRank(Communicator world, int victim)
    {
        world.Barrier();
        if (world.Rank == victim)
        {
            throw new InvalidOperationException($"user code failed on rank {victim} only");
        }

        var values = new double[1000];
        world.Allreduce(values.AsSpan(), ReduceOperation.Sum);
    }

    /// <summary>
    /// Rank <paramref name="victim"/> stops itself (SIGSTOP, as a debugger or a hung NFS mount would) while the others
    /// wait in a collective. With DISTAL_TIMEOUT set, the waiting ranks must end the job.
    /// </summary>
    public static void StopOnRank(Communicator world, int victim)
    {
        world.Barrier();
        if (world.Rank == victim)
        {
            using var stop = Process.Start("kill", ["-STOP", $"{Environment.ProcessId}"]);
            stop.WaitForExit();
        }

        var values = new double[1000];
        world.Allreduce(values.AsSpan(), ReduceOperation.Sum);
    }
}
