// C# version of daal4py's kmeans_spmd.py: distributed k-means++ initialisation and 25 Lloyd iterations over
// kmeans_dense.csv, rank r taking rows [r·⌊n/P⌋, (r+1)·⌊n/P⌋). Assignments come straight from the distributed run
// (daal4py needs a second, local kmeans call for them). The program then recomputes everything in batch on the same
// rows and exits non-zero unless the initial centroids are equal bit for bit and the final ones to rounding.
//
//   dotnet run --project examples/KMeansSpmd                   4 embedded ranks (or --ranks N)
//   mpiexec -n 4 dotnet examples/KMeansSpmd/bin/.../KMeansSpmd.dll
using System.Globalization;
using Distal;
using Distal.Algorithms.KMeans;

const int Clusters = 10;
const int MaxIterations = 25;

string data = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && !int.TryParse(a, out _)) ?? FindData("kmeans_dense.csv");
int embeddedRanks = args.SkipWhile(a => a != "--ranks").Skip(1).Select(int.Parse).FirstOrDefault(4);

using var world = Spmd.Init();
bool[] ok = world.Size > 1
    ? [Run(world)]                                   // launched by mpiexec: one process per rank
    : Spmd.RunLocal(embeddedRanks, Run);             // a plain start: embedded ranks in this process
return ok.All(x => x) ? 0 : 1;

bool Run(Spmd spmd)
{
    Table<double> all = DataFile.ReadCsv<double>(data);
    int perRank = all.Rows / spmd.Size;
    Table<double> mine = all.SliceRows(spmd.Rank * perRank, perRank);

    var init = new KMeansInit(Clusters, KMeansInitMethod.PlusPlusDense) { Distributed = true }.Compute(mine);
    var result = new KMeans(Clusters, MaxIterations) { Distributed = true }.Compute(mine, init.Centroids);

    // The batch run on the same rows the ranks used.
    Table<double> used = all.SliceRows(0, perRank * spmd.Size);
    var batchInit = new KMeansInit(Clusters, KMeansInitMethod.PlusPlusDense).Compute(used);
    var batch = new KMeans(Clusters, MaxIterations).Compute(used, batchInit.Centroids);
    bool initEqual = init.Centroids.Span.SequenceEqual(batchInit.Centroids.Span);
    double centroidError = MaxRelativeDifference(batch.Centroids.Span, result.Centroids.Span);
    bool assignmentsEqual = result.Assignments.SequenceEqual(batch.Assignments.AsSpan(spmd.Rank * perRank, perRank).ToArray());
    bool ok = initEqual && centroidError <= 1e-12 && assignmentsEqual && batch.NIterations == result.NIterations;

    if (spmd.Rank == 0)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine($"{spmd.Size} ranks ({spmd.Communicator.Description}), {perRank} rows each");
        Console.WriteLine();
        Console.WriteLine("First 10 cluster assignments (rank 0, from the distributed run):");
        Console.WriteLine($" [{string.Join(' ', result.Assignments.Take(10))}]");
        Console.WriteLine();
        Console.WriteLine("First 10 dimensions of centroids:");
        for (int j = 0; j < Clusters; j++)
        {
            Console.WriteLine(" [" + string.Join(' ', result.Centroids.Row(j)[..10].ToArray().Select(v => v.ToString("F6", c).PadLeft(10))) + "]");
        }

        Console.WriteLine();
        Console.WriteLine("Objective function value:");
        Console.WriteLine($" {result.ObjectiveFunction.ToString("R", c)}  ({result.NIterations} iterations)");
        Console.WriteLine();
        Console.WriteLine($"Initial centroids equal batch bit for bit: {initEqual}");
        Console.WriteLine($"Final centroids vs batch: max relative difference {centroidError.ToString("E2", c)}");
    }

    Console.WriteLine($"rank {spmd.Rank}: first assignments [{string.Join(' ', result.Assignments.Take(5))}], equal to batch: {assignmentsEqual}");
    bool allOk = spmd.Communicator.Allreduce(ok ? 1 : 0, Distal.Communication.ReduceOperation.Min) == 1;
    if (spmd.Rank == 0)
    {
        Console.WriteLine(allOk ? "All looks good!" : "MISMATCH between the distributed and the batch run");
    }

    return allOk;
}

static double MaxRelativeDifference(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual)
{
    double scale = 0;
    foreach (double v in expected)
    {
        scale = Math.Max(scale, Math.Abs(v));
    }

    double worst = 0;
    for (int i = 0; i < expected.Length; i++)
    {
        worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]) / scale);
    }

    return worst;
}

// Upstream's data live in ../shared/daal4py-data beside the repository.
static string FindData(string name)
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        string candidate = Path.Combine(dir.FullName, "shared", "daal4py-data", name);
        if (File.Exists(candidate))
        {
            return candidate;
        }
    }

    throw new FileNotFoundException($"{name} not found under shared/daal4py-data above {AppContext.BaseDirectory}; pass its path as an argument");
}
