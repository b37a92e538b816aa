using Distal.Algorithms;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Decompositions;

[Trait("Category", "Algorithm")]
public class QrTests
{
    /// <summary>Checks X = Q·R per rank, QᵀQ = I over all ranks, R upper triangular with non-negative diagonal.</summary>
    internal static void AssertFactorization(Table<double> x, IReadOnlyList<Table<double>> shares, IReadOnlyList<QrResult> results)
    {
        var r = results[0].MatrixR;
        int k = r.Rows;
        int p = r.Columns;
        Assert.Equal((int)Math.Min(x.Rows, p), k);
        for (int i = 0; i < k; i++)
        {
            Assert.True(r[i, i] >= 0, $"R[{i},{i}] = {r[i, i]} is negative");
            for (int j = 0; j < i; j++)
            {
                Assert.Equal(0.0, r[i, j]);
            }
        }

        for (int rank = 0; rank < results.Count; rank++)
        {
            Compare.Bitwise(r.Span, results[rank].MatrixR.Span, $"R on rank {rank}");
            var q = results[rank].MatrixQ!;
            Assert.Equal(shares[rank].Rows, q.Rows);
            Assert.Equal(k, q.Columns);
            var rebuilt = DenseReference.Multiply(q.Span, q.Rows, k, r.Span, p);
            double error = DenseReference.RelativeError(rebuilt, shares[rank].Span);
            Assert.True(error <= 1e-12, $"Q·R vs X on rank {rank}: {error:E2}");
        }

        var allQ = DenseReference.Concatenate(results.Select(res => res.MatrixQ!).ToArray());
        double orthogonality = DenseReference.OrthonormalityError(allQ.Span, allQ.Rows, k);
        Assert.True(orthogonality <= 1e-13 * Math.Sqrt(x.Rows), $"QᵀQ − I: {orthogonality:E2}");
    }

    [Fact]
    public void Upstream_four_files_on_four_ranks_factor_and_equal_batch()
    {
        var shares = Enumerable.Range(1, 4).Select(i => SharedData.ReadTable($"qr_{i}.csv")).ToArray();
        var x = DenseReference.Concatenate(shares);
        var results = Ranks.Run(4, s => new Qr { Distributed = true }.Compute(SharedData.PathOf($"qr_{s.Rank + 1}.csv")));
        AssertFactorization(x, shares, results);

        var batch = new Qr().Compute(x);
        AssertFactorization(x, [x], [batch]);
        Assert.True(DenseReference.RelativeError(results[0].MatrixR.Span, batch.MatrixR.Span) <= 1e-12);
    }

    [Fact]
    public void Any_split_over_one_to_eight_ranks_with_empty_and_short_ranks_equals_batch()
    {
        var random = new Random(5);
        const int p = 7;
        var x = new Table<double>(DenseReference.Gaussian(random, 300 * p), 300, p);
        var batch = new Qr().Compute(x);
        for (int trial = 0; trial < 16; trial++)
        {
            int ranks = 1 + (trial % 8);
            var counts = Ranks.RandomCounts(random, x.Rows, ranks);
            if (ranks > 3)
            {
                // A rank with fewer rows than columns (daal4py refuses this).
                int donor = Array.IndexOf(counts, counts.Max());
                counts[donor] -= 3;
                counts[(donor + 1) % ranks] += 3;
            }

            var shares = Enumerable.Range(0, ranks).Select(r => Ranks.Share(x, counts, r)).ToArray();
            var results = Ranks.Run(ranks, s => new Qr { Distributed = true }.Compute(shares[s.Rank]));
            AssertFactorization(x, shares, results);
            double error = DenseReference.RelativeError(results[0].MatrixR.Span, batch.MatrixR.Span);
            Assert.True(error <= 1e-12, $"R vs batch for {string.Join('/', counts)}: {error:E2}");
        }
    }

    [Fact]
    public void Large_local_blocks_use_many_leaves_and_still_factor_exactly()
    {
        var random = new Random(17);
        const int p = 5;
        // Leaves are 2 MiB (52,428 rows at p = 5): rank 0 factors 5 leaves, rank 2 three.
        var x = new Table<double>(DenseReference.Gaussian(random, 400_000 * p), 400_000, p);
        var counts = new[] { 250_000, 0, 150_000 };
        var shares = Enumerable.Range(0, 3).Select(r => Ranks.Share(x, counts, r)).ToArray();
        var results = Ranks.Run(3, s => new Qr { Distributed = true }.Compute(shares[s.Rank]));
        AssertFactorization(x, shares, results);
    }

    [Fact]
    public void Fewer_rows_than_columns_in_total_gives_a_trapezoidal_R()
    {
        var random = new Random(8);
        var x = new Table<double>(DenseReference.Gaussian(random, 5 * 8), 5, 8);
        var counts = new[] { 2, 0, 3 };
        var shares = Enumerable.Range(0, 3).Select(r => Ranks.Share(x, counts, r)).ToArray();
        var results = Ranks.Run(3, s => new Qr { Distributed = true }.Compute(shares[s.Rank]));
        Assert.Equal(5, results[0].MatrixR.Rows);
        AssertFactorization(x, shares, results);
    }

    [Fact]
    public void Streaming_R_equals_batch_and_rows_passed_again_give_Q()
    {
        var random = new Random(11);
        const int p = 6;
        var x = new Table<double>(DenseReference.Gaussian(random, 1000 * p), 1000, p);
        var batch = new Qr().Compute(x);
        var online = new Qr().CreateOnline();
        int start = 0;
        foreach (int size in new[] { 1, 3, 0, 250, 400, 346 })
        {
            online.Add(x.SliceRows(start, size));
            start += size;
        }

        var streamed = online.Finalize();
        Assert.Null(streamed.MatrixQ);
        Assert.True(DenseReference.RelativeError(streamed.MatrixR.Span, batch.MatrixR.Span) <= 1e-12);
        var q = streamed.FormQ(x);
        Assert.True(DenseReference.OrthonormalityError(q.Span, q.Rows, p) <= 1e-13 * Math.Sqrt(x.Rows));
        Assert.True(DenseReference.RelativeError(DenseReference.Multiply(q.Span, q.Rows, p, streamed.MatrixR.Span, p), x.Span) <= 1e-12);
    }

    [Fact]
    public void Streaming_and_distributed_together_equals_batch()
    {
        var random = new Random(12);
        const int p = 4;
        var x = new Table<double>(DenseReference.Gaussian(random, 600 * p), 600, p);
        var batch = new Qr().Compute(x);
        var counts = new[] { 200, 0, 400 };
        var results = Ranks.Run(3, s =>
        {
            var share = Ranks.Share(x, counts, s.Rank);
            var online = new Qr { Distributed = true }.CreateOnline();
            for (int i = 0; i < share.Rows; i += 70)
            {
                online.Add(share.SliceRows(i, Math.Min(70, share.Rows - i)));
            }

            return online.Finalize();
        });
        foreach (var result in results)
        {
            Compare.Bitwise(results[0].MatrixR.Span, result.MatrixR.Span, "R");
        }

        Assert.True(DenseReference.RelativeError(results[0].MatrixR.Span, batch.MatrixR.Span) <= 1e-12);
    }

    [Fact]
    public void NaN_on_one_rank_fails_every_rank_naming_it()
    {
        var random = new Random(3);
        var x = new Table<double>(DenseReference.Gaussian(random, 40 * 3), 40, 3);
        x[25, 1] = double.NaN;
        var counts = new[] { 20, 20 };
        var errors = Ranks.Run(2, s =>
        {
            try
            {
                new Qr { Distributed = true }.Compute(Ranks.Share(x, counts, s.Rank));
                return null;
            }
            catch (DistalException e)
            {
                return e;
            }
        });
        Assert.All(errors, e =>
        {
            Assert.NotNull(e);
            Assert.Equal(1, e.Rank);
            Assert.Equal(FailureKind.Input, e.Kind);
        });
    }

    [Fact]
    public void Float_rows_factor_like_their_double_values()
    {
        var random = new Random(13);
        var singles = DenseReference.Gaussian(random, 500 * 6).Select(v => (float)v).ToArray();
        var widened = new Table<double>(singles.Select(v => (double)v).ToArray(), 500, 6);
        var counts = new[] { 250, 250 };
        var results = Ranks.Run(2, s => new Qr { Distributed = true }.Compute(Ranks.Share(new Table<float>(singles, 500, 6), counts, s.Rank)));
        AssertFactorization(widened, [Ranks.Share(widened, counts, 0), Ranks.Share(widened, counts, 1)], results);
    }

    [Fact]
    public void Rank_deficient_and_single_column_data_still_factor()
    {
        var random = new Random(14);
        const int n = 120;
        var values = new double[n * 4];
        var gaussian = DenseReference.Gaussian(random, n * 2);
        for (int i = 0; i < n; i++)
        {
            values[(i * 4) + 0] = gaussian[2 * i];
            values[(i * 4) + 1] = gaussian[2 * i];       // a repeated column
            values[(i * 4) + 2] = 0;                     // a zero column
            values[(i * 4) + 3] = gaussian[(2 * i) + 1];
        }

        var x = new Table<double>(values, n, 4);
        var counts = new[] { 0, 50, 70 };
        var shares = Enumerable.Range(0, 3).Select(r => Ranks.Share(x, counts, r)).ToArray();
        var results = Ranks.Run(3, s => new Qr { Distributed = true }.Compute(shares[s.Rank]));
        AssertFactorization(x, shares, results);
        Assert.True(Math.Abs(results[0].MatrixR[1, 1]) <= 1e-12 * results[0].MatrixR[0, 0], "the repeated column adds nothing");
        Assert.Throws<DistalException>(() => new Qr().CreateOnline().Finalize());

        var column = new Table<double>(gaussian[..n], n, 1);
        var single = Ranks.Run(2, s => new Qr { Distributed = true }.Compute(Ranks.Share(column, [n / 2, n / 2], s.Rank)));
        AssertFactorization(column, [Ranks.Share(column, [n / 2, n / 2], 0), Ranks.Share(column, [n / 2, n / 2], 1)], single);
        Assert.Equal(Math.Sqrt(gaussian[..n].Sum(v => v * v)), single[0].MatrixR[0, 0], 1e-12);
    }
}
