// C# version of daal4py's kmeans_spmd.py: distributed k-means++ initialisation and 25 Lloyd iterations over
// kmeans_dense.csv, rank r taking rows [r·⌊n/P⌋, (r+1)·⌊n/P⌋).
//   dotnet run --project examples/KMeansSpmd -- --ranks 4       (embedded ranks; any number works)
//   mpiexec -n 4 dotnet examples/KMeansSpmd/bin/Release/net10.0/KMeansSpmd.dll
// The assignments come straight from the distributed run (daal4py needs a second, local kmeans call for them). Every
// rank then recomputes the run in batch on the same rows; the exit code is non-zero unless the initial centroids are
// equal bit for bit and the final centroids (to 1e-12), iteration count and this rank's assignments equal batch.
using System.Globalization;
using Distal;
using Distal.Algorithms;

const int Clusters = 10;
const int MaxIterations = 25;

return SpmdExampleHost.Run(args, (spmd, data) =>
{
    Table<double> all = SpmdExampleHost.ReadCsv(Path.Combine(data, "kmeans_dense.csv"));
    int perRank = all.Rows / spmd.Size;
    Table<double> mine = all.SliceRows(spmd.Rank * perRank, perRank);

    var init = new KMeansInit(Clusters, KMeansInitMethod.PlusPlusDense) { Distributed = true }.Compute(mine);
    var result = new KMeans(Clusters, MaxIterations) { Distributed = true }.Compute(mine, init.Centroids);

    // The batch run on the rows the ranks used.
    Table<double> used = all.SliceRows(0, perRank * spmd.Size);
    var batchInit = new KMeansInit(Clusters, KMeansInitMethod.PlusPlusDense).Compute(used);
    var batch = new KMeans(Clusters, MaxIterations).Compute(used, batchInit.Centroids);
    bool initEqual = init.Centroids.Span.SequenceEqual(batchInit.Centroids.Span);
    bool centroidsEqual = SpmdExampleHost.Close(result.Centroids.Span, batch.Centroids.Span, tolerance: 1e-12);
    bool assignmentsEqual = result.Assignments.AsSpan().SequenceEqual(batch.Assignments.AsSpan(spmd.Rank * perRank, perRank));
    bool passed = initEqual && centroidsEqual && assignmentsEqual && batch.NIterations == result.NIterations;

    if (spmd.Rank == 0)
    {
        Console.WriteLine($"{spmd.Size} ranks ({spmd.Communicator.Description}), {perRank} rows each");
        Console.WriteLine();
        Console.WriteLine("First 10 cluster assignments (rank 0's rows, from the distributed run):");
        Console.WriteLine($"  [{string.Join(", ", result.Assignments.Take(10))}]");
        Console.WriteLine();
        Console.WriteLine("First 10 dimensions of centroids:");
        for (int j = 0; j < Clusters; j++)
        {
            Console.WriteLine("  " + SpmdExampleHost.Format(result.Centroids.Row(j)[..10]));
        }

        Console.WriteLine();
        Console.WriteLine($"Objective function value: {result.ObjectiveFunction.ToString("R", CultureInfo.InvariantCulture)} ({result.NIterations} iterations)");
        Console.WriteLine($"Initial centroids equal batch bit for bit: {initEqual}; final centroids equal batch: {centroidsEqual}");
    }

    Console.WriteLine($"rank {spmd.Rank}: first assignments [{string.Join(", ", result.Assignments.Take(5))}], equal to batch: {assignmentsEqual}");
    bool everywhere = spmd.Communicator.Allreduce(passed ? 1 : 0, Distal.Communication.ReduceOperation.Min) == 1;
    if (spmd.Rank == 0)
    {
        Console.WriteLine(everywhere ? "All looks good!" : "MISMATCH between the distributed and the batch run");
    }

    return everywhere;
});
