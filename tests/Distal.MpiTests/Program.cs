using Distal;
using Distal.MpiTests;

// The MPI test program: run under mpiexec/mpirun with any number of ranks. Every rank calls the same collectives in
// the same order. Modes: (none) all checks; --bench [iterations]: allreduce overhead; --bench-covariance ROWS COLS;
// --die-on-rank R: rank R kills itself while the others wait in a collective (the launcher must end the job);
// --throw-on-rank R: an exception escapes on rank R (Spmd.Init's handler must abort the job); --stop-on-rank R:
// rank R stops itself with SIGSTOP (with DISTAL_TIMEOUT set, the waiting ranks must abort the job); --large:
// messages of 2 GiB and more (about 5 GiB per rank; run by the test script when DISTAL_TEST_LARGE=1); --large-partial
// [--large-partial-embedded RANKS]: a covariance partial of 16 384 columns (2 GiB) reduced over the MPI (embedded) ranks.
Spmd spmd;
try
{
    spmd = Spmd.Init();
}
catch (DistalException e)
{
    Console.Error.WriteLine($"Distal.MpiTests: {e.Message}");
    return 1;
}

using var session = spmd;
string mode = args.Length > 0 ? args[0] : "--check";
switch (mode)
{
    case "--check":
        var log = new CheckLog(spmd.Rank);
        CommunicatorChecks.Run(spmd.Communicator, log);
        ChunkingChecks.Run(spmd.Communicator, log);
        AgreementChecks.Run(spmd.Communicator, log);
        ConformanceChecks.Run(spmd.Communicator, log);
        ConformanceChecks.LargeOffset(spmd.Communicator, log);
        return log.Finish(spmd.Communicator);
    case "--large":
        var large = new CheckLog(spmd.Rank);
        LargeMessageChecks.Run(spmd.Communicator, large);
        return large.Finish(spmd.Communicator);
    case "--large-partial":
        var partialLog = new CheckLog(spmd.Rank);
        LargePartialChecks.Run(spmd.Communicator, partialLog);
        return partialLog.Finish(spmd.Communicator);
    case "--large-partial-embedded":
        return Spmd.RunLocal(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), rank =>
        {
            var rankLog = new CheckLog(rank.Rank);
            LargePartialChecks.Run(rank.Communicator, rankLog);
            return rankLog.Finish(rank.Communicator);
        })[0];
    case "--bench":
        Measurements.AllreduceOverhead(spmd.Communicator, args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2000);
        return 0;
    case "--bench-covariance":
        Measurements.Covariance(spmd.Communicator, int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
        return 0;
    case "--die-on-rank":
        Measurements.DieOnRank(spmd.Communicator, int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
        return 0;
    case "--throw-on-rank":
        FailureModes.ThrowOnRank(spmd.Communicator, int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
        return 0;
    case "--stop-on-rank":
        FailureModes.StopOnRank(spmd.Communicator, int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
        return 0;
    default:
        Console.Error.WriteLine($"unknown mode {mode}; use --check, --bench [N], --bench-covariance ROWS COLS, --die-on-rank R, --throw-on-rank R, --stop-on-rank R, --large, --large-partial or --large-partial-embedded RANKS");
        return 2;
}
