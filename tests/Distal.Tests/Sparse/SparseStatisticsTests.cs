using Distal.Algorithms;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Sparse;

[Trait("Category", "Algorithm")]
public class SparseStatisticsTests
{
    /// <summary>
    /// Sparse columns, a column never stored, a column stored in full far from zero (1e8 + noise: any
    /// Σxxᵀ − n·mmᵀ would lose every digit), negative values; 2500 rows span several 1024-row blocks.
    /// </summary>
    private static Table<double> Data(int seed, int rows = 2500, double far = 1e8)
    {
        var random = new Random(seed);
        const int P = 7;
        var table = Table<double>.Create(rows, P);
        for (int i = 0; i < rows; i++)
        {
            var row = table.Row(i);
            // Multiples of 1/1024: exact in double and in decimal, so the decimal reference sees the very same values.
            row[0] = random.NextDouble() < 0.1 ? random.Next(1, 9) : 0;
            row[1] = random.NextDouble() < 0.5 ? (random.Next(1024) - 512) / 1024.0 : 0;
            row[3] = far + (random.Next(1024) / 1024.0);
            row[4] = random.NextDouble() < 0.02 ? -3 * random.Next(1, 1024) / 1024.0 : 0;
            row[5] = random.NextDouble() < 0.9 ? 1e3 + (random.Next(1024) / 1024.0) : 0;
            row[6] = random.NextDouble() < 0.3 ? 5 : 0;
        }

        return table;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Csr_moments_equal_the_dense_moments_per_entry(int seed)
    {
        var dense = Data(seed, far: 10);
        var e = DenseMoments(dense);
        var a = CsrMoments(dense);
        Compare.Bitwise(e.Minimum, a.Minimum, "minimum");
        Compare.Bitwise(e.Maximum, a.Maximum, "maximum");
        Compare.Relative(e.Sum, a.Sum, 1e-14, floor: 1e-300, "sum");
        Compare.Relative(e.SumSquares, a.SumSquares, 1e-14, floor: 1e-300, "sumSquares");
        // Column 1 holds ±0.5 values summing near zero: its mean is judged on the scale of its values' magnitudes.
        Compare.Relative(e.Mean, a.Mean, 1e-14, floor: 1e-2, "mean");
        Compare.Relative(e.SumSquaresCentered, a.SumSquaresCentered, 1e-13, floor: 1e-300, "sumSquaresCentered");
    }

    // One block (≤ 1024 rows): this judges the sparse kernel alone. Across blocks the partial's pairwise merge takes
    // over, and its accuracy far from zero is the partial's own (the same for dense and CSR input).
    [Fact]
    public void Csr_moments_match_an_exact_reference_on_a_column_far_from_zero()
    {
        var dense = Data(5, rows: 1000);
        var a = CsrMoments(dense);
        var (mean, centered, _) = ExactReference(dense);
        Compare.Relative(mean, a.Mean, 1e-14, floor: 1e-300, "mean vs exact");
        Compare.Relative(centered, a.SumSquaresCentered, 1e-12, floor: 1e-300, "sumSquaresCentered vs exact");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Csr_cross_products_equal_the_dense_ones_per_entry(bool assumeCentered)
    {
        var dense = Data(3, far: 10);
        var expected = new CrossProductPartial(dense.Columns, assumeCentered);
        expected.Accumulate<double>(dense.Span);
        var actual = new CrossProductPartial(dense.Columns, assumeCentered);
        SparseAccumulation.Accumulate(actual, CsrTable.FromDense(dense));
        Assert.Equal(expected.Count, actual.Count);
        Compare.Relative(expected.Mean, actual.Mean, 1e-14, floor: 1e-300, "mean");
        AssertCloseScaled(expected.CrossProduct, actual.CrossProduct, dense.Columns, 1e-13);
    }

    [Fact]
    public void Csr_cross_products_match_an_exact_reference_on_a_column_far_from_zero()
    {
        var dense = Data(6, rows: 1000);
        var actual = new CrossProductPartial(dense.Columns, assumeCentered: false);
        SparseAccumulation.Accumulate(actual, CsrTable.FromDense(dense));
        var (_, _, product) = ExactReference(dense);
        AssertCloseScaled(product, actual.CrossProduct, dense.Columns, 1e-12);
    }

    private static LowOrderMomentsResult DenseMoments(Table<double> dense)
    {
        var partial = new MomentsPartial(dense.Columns, EstimatesToCompute.All);
        partial.Accumulate<double>(dense.Span);
        return partial.ToResult();
    }

    private static LowOrderMomentsResult CsrMoments(Table<double> dense)
    {
        var partial = new MomentsPartial(dense.Columns, EstimatesToCompute.All);
        SparseAccumulation.Accumulate(partial, CsrTable.FromDense(dense));
        return partial.ToResult();
    }

    /// <summary>
    /// Entry (i, j) is judged against the scale of its own row and column, sqrt(C_ii·C_jj): an entry that is zero in
    /// exact arithmetic (the never-stored column) must come out at rounding level of its neighbours.
    /// </summary>
    private static void AssertCloseScaled(double[] expected, double[] actual, int p, double tolerance)
    {
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                double scale = Math.Sqrt(expected[(i * p) + i] * expected[(j * p) + j]);
                double error = Math.Abs(expected[(i * p) + j] - actual[(i * p) + j]);
                Assert.True(error <= tolerance * scale, $"C[{i},{j}]: expected {expected[(i * p) + j]:R}, got {actual[(i * p) + j]:R}");
            }
        }
    }

    /// <summary>Means, centered sums of squares and cross-products in 28-digit decimal arithmetic.</summary>
    private static (double[] Mean, double[] Centered, double[] Product) ExactReference(Table<double> table)
    {
        int p = table.Columns;
        int n = table.Rows;
        // The values are multiples of 1/1024 below 2^27, so 10 fixed decimals write them exactly (a cast to decimal
        // would keep only 15 significant digits).
        var rows = table.ToRowArrays().Select(r => r.Select(v => decimal.Parse(v.ToString("F10", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var mean = Enumerable.Range(0, p).Select(j => rows.Sum(r => r[j]) / n).ToArray();
        var product = new double[p * p];
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                product[(i * p) + j] = (double)rows.Sum(r => (r[i] - mean[i]) * (r[j] - mean[j]));
            }
        }

        return (mean.Select(m => (double)m).ToArray(), Enumerable.Range(0, p).Select(j => product[(j * p) + j]).ToArray(), product);
    }

    [Fact]
    public void Distributed_csr_moments_and_covariance_equal_dense_batch_when_a_rank_never_sees_the_last_column()
    {
        var dense = Data(7, rows: 600, far: 10);
        for (int i = 0; i < 300; i++)
        {
            dense[i, 6] = 0;
        }

        var csr = CsrTable.FromDense(dense);
        var moments = new LowOrderMoments().Compute(dense);
        var covariance = new Covariance().Compute(dense);
        var results = Ranks.Run(3, s =>
        {
            // Inferred widths: rank 0's rows (0..199) never store column 6, so its table is only 6 wide.
            var share = csr.SliceRows(s.Rank * 200, 200);
            var local = new CsrTable<double>(share.RowOffsets.ToArray().Select(o => o - share.RowOffsets.Span[0]).ToArray(), share.ColumnIndices.Span[share.RowOffsets.Span[0]..share.RowOffsets.Span[^1]].ToArray(), share.Values.Span[share.RowOffsets.Span[0]..share.RowOffsets.Span[^1]].ToArray());
            return (new LowOrderMoments { Distributed = true }.Compute(local), new Covariance { Distributed = true }.Compute(local), local.Columns);
        });
        Assert.Equal(6, results[0].Item3);
        foreach (var (m, c, _) in results)
        {
            Compare.Relative(moments.Variance, m.Variance, 1e-12, floor: 1e-300, "variance");
            Compare.Bitwise(moments.Maximum, m.Maximum, "maximum");
            AssertCloseScaled(covariance.Covariance!.Span.ToArray(), c.Covariance!.Span.ToArray(), 7, 1e-12);
        }
    }

    [Fact]
    public void Float_csr_input_accumulates_in_double_like_float_dense_input()
    {
        var dense = Data(4, 700);
        var single = Table<float>.Create(dense.Rows, dense.Columns);
        for (int i = 0; i < dense.Span.Length; i++)
        {
            single.Span[i] = (float)(dense.Span[i] - (i % dense.Columns == 3 ? 1e8 : 0));
        }

        var expected = new MomentsPartial(dense.Columns, EstimatesToCompute.All);
        expected.Accumulate<float>(single.Span);
        var actual = new MomentsPartial(dense.Columns, EstimatesToCompute.All);
        SparseAccumulation.Accumulate(actual, CsrTable.FromDense(single));
        Compare.Relative(expected.ToResult().Variance, actual.ToResult().Variance, 1e-12, floor: 1e-300, "variance");
    }

    [Fact]
    public void Streamed_csr_chunks_equal_dense_batch_for_moments_covariance_and_naive_bayes()
    {
        var dense = Data(11, rows: 700, far: 10);
        var csr = CsrTable.FromDense(dense);
        var moments = new LowOrderMoments().CreateOnline();
        var covariance = new Covariance().CreateOnline();
        for (int start = 0; start < dense.Rows; start += 90)
        {
            int count = Math.Min(90, dense.Rows - start);
            moments.Add(csr.SliceRows(start, count));
            covariance.Add(csr.SliceRows(start, count));
        }

        Compare.Relative(new LowOrderMoments().Compute(dense).Variance!, moments.Finalize().Variance!, 1e-12, floor: 1e-300, "variance");
        AssertCloseScaled(new Covariance().Compute(dense).Covariance!.Span.ToArray(), covariance.Finalize().Covariance!.Span.ToArray(), dense.Columns, 1e-12);

        // Counts and labels for naive Bayes: the model from streamed CSR chunks is the batch dense model, bit for bit.
        var counts = Table<double>.Create(300, 6);
        var labels = Table<double>.Create(300, 1);
        var random = new Random(5);
        for (int i = 0; i < counts.Rows; i++)
        {
            labels[i, 0] = i % 3;
            for (int j = 0; j < counts.Columns; j++)
            {
                counts[i, j] = random.Next(4) == 0 ? random.Next(1, 9) : 0;
            }
        }

        var sparseCounts = CsrTable.FromDense(counts);
        var training = new MultinomialNaiveBayesTraining(3).CreateOnline();
        for (int start = 0; start < counts.Rows; start += 70)
        {
            int count = Math.Min(70, counts.Rows - start);
            training.Add(sparseCounts.SliceRows(start, count), labels.SliceRows(start, count));
        }

        var batch = new MultinomialNaiveBayesTraining(3).Compute(counts, labels);
        var streamed = training.Finalize();
        Compare.Bitwise(batch.LogP, streamed.LogP, "logP");
        Compare.Bitwise(batch.LogTheta.Span, streamed.LogTheta.Span, "logTheta");
    }
}
