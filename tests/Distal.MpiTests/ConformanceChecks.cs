using Distal.Algorithms;
using Distal.Communication;
using Distal.Data;

namespace Distal.MpiTests;

/// <summary>
/// Moments and covariance on upstream's covcormoments_dense.csv, split the way daal4py's examples split it (the first
/// n % P ranks get one extra row): the MPI result must equal, bit for bit, the embedded engine's result for the same
/// number of ranks and the same split, computed in this very process.
/// </summary>
internal static class ConformanceChecks
{
    public static void Run(Communicator world, CheckLog log)
    {
        string? path = DataPath("covcormoments_dense.csv");
        log.Check(path is not null, "conformance: shared/daal4py-data/covcormoments_dense.csv found above the program");
        if (path is null)
        {
            return;
        }

        Table<double> all = CsvReader.Read<double>(path);
        int size = world.Size;
        Table<double> Share(int rank)
        {
            int baseRows = all.Rows / size, extra = all.Rows % size;
            int start = (rank * baseRows) + Math.Min(rank, extra);
            return all.SliceRows(start, baseRows + (rank < extra ? 1 : 0));
        }

        log.Group("conformance: low-order moments", () =>
        {
            var mpi = Flatten(new LowOrderMoments { Distributed = true, Communicator = world }.Compute(Share(world.Rank)));
            var embedded = Spmd.RunLocal(size, s => Flatten(new LowOrderMoments { Distributed = true }.Compute(Share(s.Rank))));
            log.Check(CheckLog.SameBits(mpi, embedded[world.Rank]), "low-order moments under MPI equal the embedded engine bitwise");
            log.Check(SameOnEveryRank(world, mpi), "low-order moments are bitwise identical on every rank");
        });

        foreach (var type in (ReadOnlySpan<OutputMatrixType>)[OutputMatrixType.CovarianceMatrix, OutputMatrixType.CorrelationMatrix])
        {
            log.Group($"conformance: {type}", () =>
            {
                var mpi = Flatten(new Covariance { Distributed = true, Communicator = world, OutputMatrixType = type }.Compute(Share(world.Rank)));
                var embedded = Spmd.RunLocal(size, s => Flatten(new Covariance { Distributed = true, OutputMatrixType = type }.Compute(Share(s.Rank))));
                log.Check(CheckLog.SameBits(mpi, embedded[world.Rank]), $"{type} under MPI equals the embedded engine bitwise");
                log.Check(SameOnEveryRank(world, mpi), $"{type} is bitwise identical on every rank");
            });
        }
    }

    /// <summary>
    /// Columns of 1e8 + N(0, 1e-3) over uneven shares (rank 1 empty when there are more than two ranks): the shifted
    /// partials under MPI must equal the embedded engine bitwise, so the exact-reference accuracy tests of the unit
    /// suite (tests/Distal.Tests/Accuracy) hold under MPI too.
    /// </summary>
    public static void LargeOffset(Communicator world, CheckLog log)
    {
        const int Rows = 5000, Columns = 4;
        var random = new Random(12);
        var values = new double[Rows * Columns];
        for (int i = 0; i < values.Length; i++)
        {
            double gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            values[i] = 1e8 + (1e-3 * gaussian);
        }

        var all = Table.FromArray(values, Rows, Columns);
        int size = world.Size;
        Table<double> Share(int rank)
        {
            // Shares of 1, 2, 3, ... parts, with rank 1 given nothing when there are more than two ranks.
            int[] weights = [.. Enumerable.Range(0, size).Select(r => size > 2 && r == 1 ? 0 : r + 1)];
            int total = weights.Sum();
            int start = Rows * weights.Take(rank).Sum() / total;
            int end = Rows * weights.Take(rank + 1).Sum() / total;
            return all.SliceRows(start, end - start);
        }

        log.Group("large offset: moments, covariance, PCA (svd)", () =>
        {
            var mpi = Flatten(new LowOrderMoments { Distributed = true, Communicator = world }.Compute(Share(world.Rank)));
            var embedded = Spmd.RunLocal(size, s => Flatten(new LowOrderMoments { Distributed = true }.Compute(Share(s.Rank))));
            log.Check(CheckLog.SameBits(mpi, embedded[world.Rank]), "large-offset moments under MPI equal the embedded engine bitwise");
            var covariance = Flatten(new Covariance { Distributed = true, Communicator = world }.Compute(Share(world.Rank)));
            var embeddedCovariance = Spmd.RunLocal(size, s => Flatten(new Covariance { Distributed = true }.Compute(Share(s.Rank))));
            log.Check(CheckLog.SameBits(covariance, embeddedCovariance[world.Rank]), "large-offset covariance under MPI equals the embedded engine bitwise");
            var pca = new Pca { Distributed = true, Communicator = world, Method = PcaMethod.SvdDense }.Compute(Share(world.Rank));
            var embeddedPca = Spmd.RunLocal(size, s => new Pca { Distributed = true, Method = PcaMethod.SvdDense }.Compute(Share(s.Rank)));
            log.Check(CheckLog.SameBits([.. pca.Eigenvalues, .. pca.Variances!], [.. embeddedPca[world.Rank].Eigenvalues, .. embeddedPca[world.Rank].Variances!]), "large-offset svd PCA under MPI equals the embedded engine bitwise");
            log.Check(SameOnEveryRank(world, covariance), "large-offset covariance is bitwise identical on every rank");
        });
    }

    private static double[] Flatten(LowOrderMomentsResult r)
        => [r.Rows, .. r.Minimum!, .. r.Maximum!, .. r.Sum!, .. r.SumSquares!, .. r.SumSquaresCentered!, .. r.Mean!,
            .. r.SecondOrderRawMoment!, .. r.Variance!, .. r.StandardDeviation!, .. r.Variation!];

    private static double[] Flatten(CovarianceResult r)
        => [r.Rows, .. (r.Covariance ?? r.Correlation)!.Span, .. r.Mean];

    private static bool SameOnEveryRank(Communicator world, double[] values)
    {
        double[] first = world.BroadcastVariable(world.Rank == 0 ? values : null, 0);
        return world.Allreduce(CheckLog.SameBits(first, values) ? 0 : 1, ReduceOperation.Sum) == 0;
    }

    /// <summary>Upstream's example data, found by walking up from the program to a directory holding shared/daal4py-data.</summary>
    public static string? DataPath(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "daal4py-data", file);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
