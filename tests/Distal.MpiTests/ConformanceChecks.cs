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
