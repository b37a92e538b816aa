// C# version of daal4py's pca_spmd.py: distributed PCA over four files, one per rank.
//   dotnet run --project examples/PcaSpmd -- --ranks 4       (embedded ranks)
//   mpiexec -n 4 dotnet examples/PcaSpmd/bin/Release/net10.0/PcaSpmd.dll
// Each rank reads pca_normalized_<rank+1>.csv; the result (the same on every rank) is printed by rank 0 and checked
// against batch PCA of the four files concatenated. The exit code is non-zero when they differ.
using Distal;
using Distal.Algorithms;

return SpmdExampleHost.Run(args, (spmd, data) =>
{
    if (spmd.Size != 4)
    {
        throw new DistalException(FailureKind.Usage, $"this example's data has 4 parts: run it on 4 ranks, not {spmd.Size}");
    }

    const PcaResultsToCompute results = PcaResultsToCompute.Mean | PcaResultsToCompute.Variance | PcaResultsToCompute.Eigenvalue;
    string file = Path.Combine(data, $"pca_normalized_{spmd.Rank + 1}.csv");
    bool passed = true;
    PcaResult? shown = null;
    foreach (var method in new[] { PcaMethod.SvdDense, PcaMethod.CorrelationDense })
    {
        // Give the file directly, or load the rows ourselves: both are this rank's share.
        var algorithm = new Pca { Method = method, IsDeterministic = true, ResultsToCompute = results, Distributed = true };
        var fromFile = algorithm.Compute(file);
        var fromTable = algorithm.Compute(SpmdExampleHost.ReadCsv(file));

        var batch = new Pca { Method = method, IsDeterministic = true, ResultsToCompute = results }
            .Compute(SpmdExampleHost.ReadAll(data, "pca_normalized_{0}.csv"));
        bool same = SpmdExampleHost.Close(fromFile.Eigenvalues, fromTable.Eigenvalues)
            && SpmdExampleHost.Close(fromFile.Eigenvalues, batch.Eigenvalues)
            && SpmdExampleHost.Close(fromFile.Eigenvectors.Span, batch.Eigenvectors.Span)
            && SpmdExampleHost.Close(fromFile.Means, batch.Means, floor: Math.Sqrt(batch.Variances!.Max()))
            && SpmdExampleHost.Close(fromFile.Variances, batch.Variances);
        if (spmd.Rank == 0)
        {
            Console.WriteLine($"{method}: distributed result {(same ? "equals" : "DIFFERS FROM")} batch");
        }

        passed &= same;
        shown ??= fromFile;
    }

    if (spmd.Rank == 0)
    {
        Console.WriteLine("PCA result (svdDense, 4 ranks):");
        Console.WriteLine("eigenvalues: " + SpmdExampleHost.Format(shown!.Eigenvalues));
        SpmdExampleHost.Print("eigenvectors", shown.Eigenvectors, maxRows: 10);
        Console.WriteLine("means: " + SpmdExampleHost.Format(shown.Means));
        Console.WriteLine("variances: " + SpmdExampleHost.Format(shown.Variances));
    }

    return passed;
});
