using Distal;
using Distal.MpiTests;

// The MPI test program: run under mpiexec/mpirun with any number of ranks. Every rank calls the same collectives in
// the same order. Modes: (none) all checks; --bench [iterations]: allreduce overhead; --bench-covariance ROWS COLS;
// --die-on-rank R: rank R kills itself while the others wait in a collective (the launcher must end the job).
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
    case "--bench":
        Measurements.AllreduceOverhead(spmd.Communicator, args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2000);
        return 0;
    case "--bench-covariance":
        Measurements.Covariance(spmd.Communicator, int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
        return 0;
    case "--die-on-rank":
        Measurements.DieOnRank(spmd.Communicator, int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
        return 0;
    default:
        Console.Error.WriteLine($"unknown mode {mode}; use --check, --bench [N], --bench-covariance ROWS COLS or --die-on-rank R");
        return 2;
}
