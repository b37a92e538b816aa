using Distal.Algorithms;
using Distal.Kernels;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Accuracy;

/// <summary>
/// Columns of 1e8 + N(0, σ), σ from 1 down to 1e-4 (timestamps, coordinates, readings around a set point): every
/// entry of the means, variances, covariances and correlations, and the PCA built on them, within 1e-11 relative of
/// the exact values, over 1–8 ranks with uneven and empty shares; bitwise equal on every rank and within 1e-12 of
/// the one-rank result whatever the split. The columns share a common factor so that no off-diagonal entry is near
/// zero (a per-entry relative bound on an entry that is nearly zero would measure only the rounding of the others).
/// </summary>
[Trait("Category", "Algorithm")]
public class LargeOffsetAccuracyTests
{
    private const int Rows = 20_000;
    private const double Exact = 1e-11;
    private const double SplitIndependent = 1e-12;

    private static readonly double[] Offsets = [1e8, 1e8, -1e8, 1e8];
    private static readonly double[] Loadings = [0.3, 0.6, 0.9, 1.2];

    public static TheoryData<double> Deviations => [1, 1e-1, 1e-2, 1e-3, 1e-4];

    [Theory]
    [MemberData(nameof(Deviations))]
    public void Moments_are_exact_per_entry_over_any_split(double sigma)
    {
        var (table, exact) = Data(sigma);
        var expectedMean = exact.Mean();
        var expectedVariance = Diagonal(exact.Covariance());
        var expectedM2 = exact.CenteredSumSquares();
        LowOrderMomentsResult? batch = null;
        foreach (var (ranks, counts) in Splits(sigma))
        {
            var results = Ranks.Run(ranks, s => new LowOrderMoments { Distributed = true }.Compute(Ranks.Share(table, counts, s.Rank)));
            string what = $"σ={sigma} split {string.Join('/', counts)}";
            Compare.Relative(expectedMean, results[0].Mean!, Exact, what: $"mean {what}");
            Compare.Relative(expectedVariance, results[0].Variance!, Exact, what: $"variance {what}");
            Compare.Relative(expectedM2, results[0].SumSquaresCentered!, Exact, what: $"sumSquaresCentered {what}");
            foreach (var r in results)
            {
                Compare.Bitwise(results[0].Variance!, r.Variance!, $"rank agreement {what}");
                Compare.Bitwise(results[0].Mean!, r.Mean!, $"rank agreement {what}");
            }

            batch ??= results[0];
            Compare.Relative(batch.Variance!, results[0].Variance!, SplitIndependent, what: $"variance vs one rank, {what}");
        }
    }

    [Theory]
    [MemberData(nameof(Deviations))]
    public void Covariance_and_correlation_are_exact_per_entry_over_any_split(double sigma)
    {
        var (table, exact) = Data(sigma);
        var expectedCovariance = exact.Covariance();
        var expectedCorrelation = exact.Correlation();
        var expectedMean = exact.Mean();
        double[]? batch = null;
        foreach (var (ranks, counts) in Splits(sigma))
        {
            string what = $"σ={sigma} split {string.Join('/', counts)}";
            var covariances = Ranks.Run(ranks, s => new Covariance { Distributed = true }.Compute(Ranks.Share(table, counts, s.Rank)));
            Compare.Relative(expectedCovariance, covariances[0].Covariance!.Span, Exact, what: $"covariance {what}");
            Compare.Relative(expectedMean, covariances[0].Mean, Exact, what: $"mean {what}");
            var correlations = Ranks.Run(ranks, s => new Covariance { Distributed = true, OutputMatrixType = OutputMatrixType.CorrelationMatrix }
                .Compute(Ranks.Share(table, counts, s.Rank)));
            Compare.Relative(expectedCorrelation, correlations[0].Correlation!.Span, Exact, what: $"correlation {what}");
            foreach (var r in covariances)
            {
                Compare.Bitwise(covariances[0].Covariance!.Span, r.Covariance!.Span, $"rank agreement {what}");
            }

            batch ??= covariances[0].Covariance!.Span.ToArray();
            Compare.Relative(batch, covariances[0].Covariance!.Span, SplitIndependent, what: $"covariance vs one rank, {what}");
        }
    }

    [Theory]
    [MemberData(nameof(Deviations))]
    public void Pca_by_correlation_and_by_svd_is_exact_per_entry_over_any_split(double sigma)
    {
        var (table, exact) = Data(sigma);
        var expectedMean = exact.Mean();
        var expectedVariance = Diagonal(exact.Covariance());
        int p = Offsets.Length;
        var expectedEigenvalues = new double[p];
        DenseKernels.Managed.SymmetricEigen(exact.Correlation(), p, expectedEigenvalues, new double[p * p]);
        foreach (var method in new[] { PcaMethod.CorrelationDense, PcaMethod.SvdDense })
        {
            foreach (var (ranks, counts) in Splits(sigma))
            {
                string what = $"{method} σ={sigma} split {string.Join('/', counts)}";
                var results = Ranks.Run(ranks, s => new Pca { Distributed = true, Method = method }.Compute(Ranks.Share(table, counts, s.Rank)));
                Compare.Relative(expectedMean, results[0].Means!, Exact, what: $"means {what}");
                Compare.Relative(expectedVariance, results[0].Variances!, Exact, what: $"variances {what}");
                Compare.Relative(expectedEigenvalues, results[0].Eigenvalues, Exact, what: $"eigenvalues {what}");
                foreach (var r in results)
                {
                    Compare.Bitwise(results[0].Eigenvalues, r.Eigenvalues, $"rank agreement {what}");
                }
            }
        }
    }

    /// <summary>One rank, then 2–8 ranks with random uneven shares, some of them empty.</summary>
    private static IEnumerable<(int Ranks, int[] Counts)> Splits(double sigma)
    {
        var random = new Random(unchecked((int)(sigma * 1e6)) + 5);
        yield return (1, [Rows]);
        for (int ranks = 2; ranks <= 8; ranks++)
        {
            yield return (ranks, Ranks.RandomCounts(random, Rows, ranks));
        }
    }

    private static (Table<double> Table, ExactStatistics Exact) Data(double sigma)
    {
        var random = new Random(2024);
        int p = Offsets.Length;
        var rows = new double[Rows][];
        for (int i = 0; i < Rows; i++)
        {
            double common = Gaussian(random);
            rows[i] = new double[p];
            for (int j = 0; j < p; j++)
            {
                rows[i][j] = Offsets[j] + (sigma * (Gaussian(random) + (Loadings[j] * common)));
            }
        }

        return (Table.FromRows(rows), new ExactStatistics(rows));
    }

    private static double[] Diagonal(double[] matrix)
    {
        int p = (int)Math.Sqrt(matrix.Length);
        return [.. Enumerable.Range(0, p).Select(j => matrix[(j * p) + j])];
    }

    private static double Gaussian(Random random)
        => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
