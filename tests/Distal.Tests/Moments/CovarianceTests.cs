using Distal.Algorithms;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Moments;

[Trait("Category", "Algorithm")]
public class CovarianceTests
{
    private const string DataFile = "covcormoments_dense.csv";

    public static TheoryData<int> RankCounts => [1, 2, 3, 4, 7];

    [Theory]
    [MemberData(nameof(RankCounts))]
    public void Matches_upstream_and_float64_references_over_upstream_splits(int ranks)
    {
        var table = SharedData.ReadTable(DataFile);
        var counts = Ranks.UpstreamCounts(table.Rows, ranks);
        var results = Ranks.Run(ranks, s => new Covariance { Distributed = true }.Compute(Ranks.Share(table, counts, s.Rank)));
        var upstream = SharedData.ReadReference("expected/covariance.csv").SelectMany(r => r).ToArray();
        Compare.MatrixNorm(upstream, results[0].Covariance!.Span, 1e-6, "covariance vs upstream");
        var reference = MomentsReference.Covariance(SharedData.ReadReference(DataFile));
        Compare.Relative(reference, results[0].Covariance!.Span, 1e-12, floor: 1e-3, what: "covariance vs float64");
        foreach (var r in results)
        {
            Compare.Bitwise(results[0].Covariance!.Span, r.Covariance!.Span, "rank agreement");
            Compare.Bitwise(results[0].Mean, r.Mean, "mean agreement");
        }
    }

    [Fact]
    public void Any_split_with_empty_ranks_equals_batch()
    {
        var table = SharedData.ReadTable(DataFile);
        var batch = new Covariance().Compute(table);
        var random = new Random(99);
        for (int trial = 0; trial < 12; trial++)
        {
            int ranks = 1 + (trial % 8);
            var counts = Ranks.RandomCounts(random, table.Rows, ranks);
            var results = Ranks.Run(ranks, s => new Covariance { Distributed = true }.Compute(Ranks.Share(table, counts, s.Rank)));
            Compare.MatrixNorm(batch.Covariance!.Span, results[0].Covariance!.Span, 1e-13, $"split {string.Join('/', counts)}");
        }
    }

    [Fact]
    public void Correlation_bias_and_assume_centered_follow_their_definitions()
    {
        var rows = SharedData.ReadReference(DataFile);
        var table = Table.FromRows(rows);
        int p = table.Columns;
        var covariance = MomentsReference.Covariance(rows);

        var correlation = new Covariance { OutputMatrixType = OutputMatrixType.CorrelationMatrix }.Compute(table).Correlation!;
        var expected = new double[p * p];
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                expected[(i * p) + j] = covariance[(i * p) + j] / Math.Sqrt(covariance[(i * p) + i] * covariance[(j * p) + j]);
            }
        }

        Compare.MatrixNorm(expected, correlation.Span, 1e-12, "correlation");

        var biased = new Covariance { Bias = true }.Compute(table).Covariance!;
        Compare.Relative(MomentsReference.Covariance(rows, bias: true), biased.Span, 1e-12, floor: 1e-3, what: "bias");

        var centered = new Covariance { AssumeCentered = true }.Compute(table);
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                double raw = rows.Sum(r => r[i] * r[j]) / (rows.Length - 1);
                Assert.Equal(raw, centered.Covariance![i, j], 1e-12 * Math.Max(1, Math.Abs(raw)));
            }
        }

        Assert.All(centered.Mean, m => Assert.Equal(0.0, m));
    }

    [Fact]
    public void Ill_conditioned_covariance_is_accurate()
    {
        var random = new Random(3);
        const int n = 50_000;
        var values = new double[n * 2];
        for (int i = 0; i < n; i++)
        {
            values[2 * i] = 1e8 + random.NextDouble();
            values[(2 * i) + 1] = -1e8 + random.NextDouble();
        }

        // Shifting by ±1e8 is exact, so the shifted reference has no cancellation.
        var shifted = Enumerable.Range(0, n).Select(i => new[] { values[2 * i] - 1e8, values[(2 * i) + 1] + 1e8 }).ToArray();
        var reference = MomentsReference.Covariance(shifted);
        var counts = Ranks.UpstreamCounts(n, 4);
        var table = new Table<double>(values, 2);
        var results = Ranks.Run(4, s => new Covariance { Distributed = true }.Compute(Ranks.Share(table, counts, s.Rank)));
        // Variances element-wise; the near-zero cross term relative to the matrix (element-wise it is pure rounding).
        Compare.Relative([reference[0], reference[3]], [results[0].Covariance![0, 0], results[0].Covariance![1, 1]], 1e-8, what: "variances");
        Compare.MatrixNorm(reference, results[0].Covariance!.Span, 1e-8, "ill-conditioned");
    }

    [Fact]
    public void Float_input_and_streaming_agree_with_batch()
    {
        var rows = SharedData.ReadReference(DataFile);
        var floats = rows.Select(r => r.Select(v => (float)v).ToArray()).ToArray();
        var widened = floats.Select(r => r.Select(v => (double)v).ToArray()).ToArray();
        var fromFloat = new Covariance().Compute(Table.FromRows(floats)).Covariance!;
        Compare.Relative(MomentsReference.Covariance(widened), fromFloat.Span, 1e-12, floor: 1e-3, what: "float");

        var online = new Covariance().CreateOnline();
        var table = Table.FromRows(rows);
        online.Add(table.SliceRows(0, 3));
        _ = online.Finalize();
        online.Add(table.SliceRows(3, 197));
        Compare.Relative(MomentsReference.Covariance(rows), online.Finalize().Covariance!.Span, 1e-12, floor: 1e-3, what: "streaming");
    }

    [Fact]
    public void Result_is_exactly_symmetric_after_merges()
    {
        var table = SharedData.ReadTable(DataFile);
        var counts = Ranks.UpstreamCounts(table.Rows, 7);
        var c = Ranks.Run(7, s => new Covariance { Distributed = true }.Compute(Ranks.Share(table, counts, s.Rank)))[0].Covariance!;
        for (int i = 0; i < c.Rows; i++)
        {
            for (int j = 0; j < i; j++)
            {
                Assert.Equal(c[j, i], c[i, j]);
            }
        }
    }

    [Fact]
    public void One_row_is_a_clear_error()
    {
        var error = Assert.Throws<DistalException>(() => new Covariance().Compute(new Table<double>([1.0, 2.0], 2)));
        Assert.Equal(FailureKind.Input, error.Kind);
    }
}
