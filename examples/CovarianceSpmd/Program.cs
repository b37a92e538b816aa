// C# version of daal4py's covariance_spmd.py: distributed covariance over one file split by rows across the ranks.
//   dotnet run --project examples/CovarianceSpmd -- --ranks 4       (embedded ranks)
//   mpiexec -n 4 dotnet examples/CovarianceSpmd/bin/Release/net10.0/CovarianceSpmd.dll
// Each rank takes its share of covcormoments_dense.csv twice: as the library reads it (DataFile.ReadShare, byte
// ranges) and as upstream's example splits it (contiguous rows, the first 200 % P ranks one row more). Both
// distributed results (the same on every rank) are checked against batch covariance of the whole file and against
// upstream's reference output; the exit code is non-zero when they differ.
using Distal;
using Distal.Algorithms;

return SpmdExampleHost.Run(args, (spmd, data) =>
{
    string file = Path.Combine(data, "covcormoments_dense.csv");
    var all = SpmdExampleHost.ReadCsv(file);
    var algorithm = new Covariance { Distributed = true };
    var fromShare = algorithm.Compute(DataFile.ReadShare<double>(file, spmd.Rank, spmd.Size));
    var fromRows = algorithm.Compute(SpmdExampleHost.Share(all, spmd.Rank, spmd.Size));
    var batch = new Covariance().Compute(all);
    var expected = SpmdExampleHost.Expected(data, "covariance.csv");

    bool same = SpmdExampleHost.Close(fromShare.Covariance!.Span, batch.Covariance!.Span)
        && SpmdExampleHost.Close(fromRows.Covariance!.Span, batch.Covariance.Span)
        && SpmdExampleHost.Close(fromShare.Mean, batch.Mean)
        && SpmdExampleHost.Close(fromRows.Mean, batch.Mean);
    // Upstream computed its reference in float32 arithmetic: it agrees with float64 to about 1e-8 relative.
    bool upstream = SpmdExampleHost.Close(fromShare.Covariance.Span, expected.Span, tolerance: 1e-6);
    if (spmd.Rank == 0)
    {
        Console.WriteLine($"covariance on {spmd.Size} ranks: distributed result {(same ? "equals" : "DIFFERS FROM")} batch, "
            + $"{(upstream ? "matches" : "DOES NOT MATCH")} upstream's expected/covariance.csv");
        SpmdExampleHost.Print("covariance", fromShare.Covariance, maxRows: 10);
        Console.WriteLine("mean: " + SpmdExampleHost.Format(fromShare.Mean));
    }

    return same && upstream;
});
