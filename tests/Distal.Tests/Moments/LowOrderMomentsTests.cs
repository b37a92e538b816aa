using Distal.Algorithms;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Moments;

[Trait("Category", "Algorithm")]
public class LowOrderMomentsTests
{
    private const string DataFile = "covcormoments_dense.csv";

    private static double[][] Rows => SharedData.ReadReference(DataFile);

    public static TheoryData<int> RankCounts => [1, 2, 3, 4, 7];

    [Theory]
    [MemberData(nameof(RankCounts))]
    public void Matches_upstream_reference_over_upstream_splits(int ranks)
    {
        var table = SharedData.ReadTable(DataFile);
        var counts = Ranks.UpstreamCounts(table.Rows, ranks);
        var results = Ranks.Run(ranks, s => new LowOrderMoments { Distributed = true }.Compute(Ranks.Share(table, counts, s.Rank)));
        var expected = SharedData.ReadReference("expected/low_order_moms_dense.csv");
        var r = results[0];
        double[][] actual = [r.Minimum!, r.Maximum!, r.Sum!, r.SumSquares!, r.SumSquaresCentered!, r.Mean!, r.SecondOrderRawMoment!, r.Variance!, r.StandardDeviation!, r.Variation!];
        for (int k = 0; k < expected.Length; k++)
        {
            Compare.Relative(expected[k], actual[k], 1e-6, what: $"moment {k}");
        }
    }

    [Theory]
    [MemberData(nameof(RankCounts))]
    public void Matches_float64_reference_and_is_bitwise_equal_on_every_rank(int ranks)
    {
        var table = SharedData.ReadTable(DataFile);
        var counts = Ranks.UpstreamCounts(table.Rows, ranks);
        var results = Ranks.Run(ranks, s => new LowOrderMoments { Distributed = true }.Compute(Ranks.Share(table, counts, s.Rank)));
        var e = MomentsReference.Moments(Rows);
        AssertClose(e, results[0], 1e-12);
        foreach (var other in results)
        {
            Compare.Bitwise(results[0].Mean!, other.Mean!);
            Compare.Bitwise(results[0].SumSquaresCentered!, other.SumSquaresCentered!);
            Compare.Bitwise(results[0].Minimum!, other.Minimum!);
        }
    }

    [Fact]
    public void Any_split_with_empty_ranks_equals_batch()
    {
        var table = SharedData.ReadTable(DataFile);
        var batch = new LowOrderMoments().Compute(table);
        var random = new Random(20261123);
        for (int trial = 0; trial < 12; trial++)
        {
            int ranks = 1 + (trial % 8);
            var counts = Ranks.RandomCounts(random, table.Rows, ranks);
            var results = Ranks.Run(ranks, s => new LowOrderMoments { Distributed = true }.Compute(Ranks.Share(table, counts, s.Rank)));
            Compare.Relative(batch.Mean!, results[0].Mean!, 1e-12, floor: 1e-3, what: $"mean {string.Join('/', counts)}");
            Compare.Relative(batch.SumSquaresCentered!, results[0].SumSquaresCentered!, 1e-12, what: "M2");
            Compare.Relative(batch.Sum!, results[0].Sum!, 1e-12, floor: 1, what: "sum");
            Compare.Bitwise(batch.Minimum!, results[0].Minimum!);
            Compare.Bitwise(batch.Maximum!, results[0].Maximum!);
        }
    }

    [Fact]
    public void Streaming_finalizes_any_time_and_continues()
    {
        var table = SharedData.ReadTable(DataFile);
        var online = new LowOrderMoments().CreateOnline();
        online.Add(table.SliceRows(0, 70));
        var first = online.Finalize();
        var reference70 = MomentsReference.Moments(Rows[..70]);
        Compare.Relative(reference70.Mean, first.Mean!, 1e-12, floor: 1e-3);
        online.Add(table.SliceRows(70, 1));
        online.Add(table.SliceRows(71, 129).Span, table.Columns);
        AssertClose(MomentsReference.Moments(Rows), online.Finalize(), 1e-12);
        Assert.Equal(200, online.RowsSeen);
    }

    [Fact]
    public void Streaming_and_distributed_together()
    {
        var table = SharedData.ReadTable(DataFile);
        var counts = Ranks.UpstreamCounts(table.Rows, 3);
        var results = Ranks.Run(3, s =>
        {
            var mine = Ranks.Share(table, counts, s.Rank);
            var online = new LowOrderMoments { Distributed = true }.CreateOnline();
            for (int start = 0; start < mine.Rows; start += 17)
            {
                online.Add(mine.SliceRows(start, Math.Min(17, mine.Rows - start)));
            }

            return online.Finalize();
        });
        AssertClose(MomentsReference.Moments(Rows), results[2], 1e-12);
    }

    [Fact]
    public void Float_input_accumulates_in_double()
    {
        var rows = Rows;
        var floats = rows.Select(r => r.Select(v => (float)v).ToArray()).ToArray();
        var widened = floats.Select(r => r.Select(v => (double)v).ToArray()).ToArray();
        var result = new LowOrderMoments().Compute(Table.FromRows(floats));
        AssertClose(MomentsReference.Moments(widened), result, 1e-12);
    }

    [Fact]
    public void Ill_conditioned_variance_is_accurate()
    {
        var random = new Random(7);
        const int n = 100_000;
        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = 1e8 + Gaussian(random);
        }

        // x − 1e8 is exact (Sterbenz), so the shifted two-pass variance is an accurate reference.
        double shiftedMean = values.Select(v => v - 1e8).Average();
        double reference = values.Select(v => v - 1e8 - shiftedMean).Sum(d => d * d) / (n - 1);
        var batch = new LowOrderMoments().Compute(new Table<double>(values, 1));
        Assert.InRange(Math.Abs(batch.Variance![0] - reference) / reference, 0, 1e-8);
        var distributed = Ranks.Run(5, s =>
        {
            var counts = Ranks.UpstreamCounts(n, 5);
            return new LowOrderMoments { Distributed = true }.Compute(Ranks.Share(new Table<double>(values, 1), counts, s.Rank));
        });
        Assert.InRange(Math.Abs(distributed[0].Variance![0] - reference) / reference, 0, 1e-8);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(21)]
    [InlineData(37)]
    [InlineData(50)]
    public void Every_column_strip_and_block_remainder_matches_the_reference(int columns)
    {
        var random = new Random(columns);
        var rows = Enumerable.Range(0, 2500).Select(_ => Enumerable.Range(0, columns).Select(_ => (random.NextDouble() * 20) - 3).ToArray()).ToArray();
        AssertClose(MomentsReference.Moments(rows), new LowOrderMoments().Compute(Table.FromRows(rows)), 1e-12);
    }

    [Fact]
    public void Estimates_select_what_is_computed()
    {
        var table = SharedData.ReadTable(DataFile);
        var minMax = new LowOrderMoments { EstimatesToCompute = EstimatesToCompute.MinMax }.Compute(table);
        Assert.NotNull(minMax.Minimum);
        Assert.Null(minMax.Mean);
        Assert.Null(minMax.Variance);
        var meanVariance = new LowOrderMoments { EstimatesToCompute = EstimatesToCompute.MeanVariance }.Compute(table);
        Assert.Null(meanVariance.Minimum);
        Compare.Relative(MomentsReference.Moments(Rows).Variance, meanVariance.Variance!, 1e-12);
    }

    [Fact]
    public void No_rows_on_any_rank_is_an_input_error_on_every_rank()
    {
        var error = Assert.Throws<DistalException>(() => Ranks.Run(3, s => new LowOrderMoments { Distributed = true }.Compute(Table<double>.Empty(4))));
        Assert.Equal(FailureKind.Input, error.Kind);
    }

    private static void AssertClose(
        (double[] Min, double[] Max, double[] Sum, double[] SumSquares, double[] SumSquaresCentered, double[] Mean, double[] Raw2, double[] Variance, double[] Std, double[] Variation) e,
        LowOrderMomentsResult r,
        double tolerance)
    {
        Compare.Bitwise(e.Min, r.Minimum!, "minimum");
        Compare.Bitwise(e.Max, r.Maximum!, "maximum");
        Compare.Relative(e.Sum, r.Sum!, tolerance, floor: 1, what: "sum");
        Compare.Relative(e.SumSquares, r.SumSquares!, tolerance, what: "sumSquares");
        Compare.Relative(e.SumSquaresCentered, r.SumSquaresCentered!, tolerance, what: "sumSquaresCentered");
        Compare.Relative(e.Mean, r.Mean!, tolerance, floor: 1e-2, what: "mean");
        Compare.Relative(e.Raw2, r.SecondOrderRawMoment!, tolerance, what: "secondOrderRawMoment");
        Compare.Relative(e.Variance, r.Variance!, tolerance, what: "variance");
        Compare.Relative(e.Std, r.StandardDeviation!, tolerance, what: "standardDeviation");
        Compare.Relative(e.Variation, r.Variation!, tolerance, what: "variation");
    }

    private static double Gaussian(Random random)
        => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
