using Distal.Algorithms;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Decompositions;

[Trait("Category", "Algorithm")]
public class SvdTests
{
    private static void AssertRebuilds(IReadOnlyList<Table<double>> shares, IReadOnlyList<SvdResult> results)
    {
        var s = results[0].SingularValues;
        var vt = results[0].RightSingularMatrix!;
        int k = s.Length;
        int p = vt.Columns;
        for (int i = 1; i < k; i++)
        {
            Assert.True(s[i] <= s[i - 1], "singular values descend");
        }

        Assert.True(DenseReference.OrthonormalityError(Transpose(vt.Span, k, p), p, k) <= 1e-13 * p, "V orthonormal");
        var allU = DenseReference.Concatenate(results.Select(r => r.LeftSingularMatrix!).ToArray());
        Assert.True(DenseReference.OrthonormalityError(allU.Span, allU.Rows, k) <= 1e-13 * Math.Sqrt(allU.Rows), "U orthonormal");
        for (int rank = 0; rank < results.Count; rank++)
        {
            Compare.Bitwise(s, results[rank].SingularValues, $"s on rank {rank}");
            Compare.Bitwise(vt.Span, results[rank].RightSingularMatrix!.Span, $"Vᵀ on rank {rank}");
            var u = results[rank].LeftSingularMatrix!;
            Assert.Equal(shares[rank].Rows, u.Rows);
            var us = u.Span.ToArray();
            for (int i = 0; i < u.Rows; i++)
            {
                for (int j = 0; j < k; j++)
                {
                    us[(i * k) + j] *= s[j];
                }
            }

            double error = DenseReference.RelativeError(DenseReference.Multiply(us, u.Rows, k, vt.Span, p), shares[rank].Span);
            Assert.True(error <= 1e-12, $"U·diag(s)·Vᵀ vs X on rank {rank}: {error:E2}");
        }
    }

    private static double[] Transpose(ReadOnlySpan<double> a, int m, int n)
    {
        var t = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                t[(j * m) + i] = a[(i * n) + j];
            }
        }

        return t;
    }

    [Fact]
    public void Upstream_four_files_on_four_ranks_rebuild_every_rank_and_equal_batch()
    {
        var shares = Enumerable.Range(1, 4).Select(i => SharedData.ReadTable($"svd_{i}.csv")).ToArray();
        var results = Ranks.Run(4, s => new Svd { Distributed = true }.Compute(SharedData.PathOf($"svd_{s.Rank + 1}.csv")));
        AssertRebuilds(shares, results);

        var x = DenseReference.Concatenate(shares);
        var batch = new Svd().Compute(x);
        AssertRebuilds([x], [batch]);
        Compare.Relative(batch.SingularValues, results[0].SingularValues, 1e-12, what: "s vs batch");

        // Independent reference: s² are the eigenvalues of XᵀX (well-conditioned data).
        var (eigenvalues, _) = DenseReference.SymmetricEigen(DenseReference.Gram(x.Span, x.Rows, x.Columns), x.Columns);
        Compare.Relative(eigenvalues.Select(Math.Sqrt).ToArray(), results[0].SingularValues, 1e-12, what: "s vs √eig(XᵀX)");
    }

    [Theory]
    [InlineData(SingularMatrixOutput.NotRequired, SingularMatrixOutput.NotRequired)]
    [InlineData(SingularMatrixOutput.NotRequired, SingularMatrixOutput.RequiredInPackedForm)]
    [InlineData(SingularMatrixOutput.RequiredInPackedForm, SingularMatrixOutput.NotRequired)]
    [InlineData(SingularMatrixOutput.RequiredInPackedForm, SingularMatrixOutput.RequiredInPackedForm)]
    public void Every_combination_of_singular_matrix_options_works_distributed(SingularMatrixOutput left, SingularMatrixOutput right)
    {
        var random = new Random(21);
        const int p = 6;
        var x = new Table<double>(DenseReference.Gaussian(random, 500 * p), 500, p);
        var full = new Svd().Compute(x);
        var counts = new[] { 100, 0, 2, 398 };
        var results = Ranks.Run(4, s => new Svd { Distributed = true, LeftSingularMatrix = left, RightSingularMatrix = right }
            .Compute(Ranks.Share(x, counts, s.Rank)));
        for (int rank = 0; rank < 4; rank++)
        {
            var result = results[rank];
            Compare.Relative(full.SingularValues, result.SingularValues, 1e-12, what: "s");
            Assert.Equal(left == SingularMatrixOutput.RequiredInPackedForm, result.LeftSingularMatrix is not null);
            Assert.Equal(right == SingularMatrixOutput.RequiredInPackedForm, result.RightSingularMatrix is not null);
            if (result.LeftSingularMatrix is { } u)
            {
                Assert.Equal(counts[rank], u.Rows);
            }
        }
    }

    [Fact]
    public void Any_split_over_one_to_eight_ranks_with_empty_ranks_equals_batch()
    {
        var random = new Random(23);
        const int p = 9;
        var x = new Table<double>(DenseReference.Gaussian(random, 200 * p), 200, p);
        var batch = new Svd().Compute(x);
        for (int trial = 0; trial < 12; trial++)
        {
            int ranks = 1 + (trial % 8);
            var counts = Ranks.RandomCounts(random, x.Rows, ranks);
            var shares = Enumerable.Range(0, ranks).Select(r => Ranks.Share(x, counts, r)).ToArray();
            var results = Ranks.Run(ranks, s => new Svd { Distributed = true }.Compute(shares[s.Rank]));
            AssertRebuilds(shares, results);
            Compare.Relative(batch.SingularValues, results[0].SingularValues, 1e-12, what: $"s for {string.Join('/', counts)}");
        }
    }

    [Fact]
    public void Ill_conditioned_singular_values_match_the_construction()
    {
        // X = U·diag(σ)·Vᵀ with orthonormal U, V built independently and σ from 1 down to 1e-10 (cond 1e10).
        var random = new Random(31);
        const int m = 3000;
        const int p = 12;
        var u = DenseReference.OrthonormalColumns(random, m, p);
        var v = DenseReference.OrthonormalColumns(random, p, p);
        var sigma = Enumerable.Range(0, p).Select(i => Math.Pow(10, -10.0 * i / (p - 1))).ToArray();
        var us = (double[])u.Clone();
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < p; j++)
            {
                us[(i * p) + j] *= sigma[j];
            }
        }

        var x = new Table<double>(DenseReference.Multiply(us, m, p, Transpose(v, p, p), p), m, p);
        var counts = new[] { 1000, 0, 1500, 500 };
        var shares = Enumerable.Range(0, 4).Select(r => Ranks.Share(x, counts, r)).ToArray();
        var results = Ranks.Run(4, s => new Svd { Distributed = true }.Compute(shares[s.Rank]));
        var s = results[0].SingularValues;
        Assert.True(Math.Abs(s[0] - sigma[0]) <= 1e-9 * sigma[0], $"largest: {s[0]:R}");

        // The largest also against the largest eigenvalue of XᵀX from the independent Jacobi reference (the small
        // ones are beyond XᵀX in double: its condition number is 1e20).
        var (eigenvalues, _) = DenseReference.SymmetricEigen(DenseReference.Gram(x.Span, m, p), p);
        Assert.True(Math.Abs((s[0] * s[0]) - eigenvalues[0]) <= 1e-9 * eigenvalues[0], $"largest² {s[0] * s[0]:R} vs eig {eigenvalues[0]:R}");
        for (int i = 0; i < p; i++)
        {
            // Perturbations of X of size ε‖X‖ move σ_i by about ε·σ_0: relative error ε·cond in the smallest.
            Assert.True(Math.Abs(s[i] - sigma[i]) <= 1e-14 * sigma[0] * 100, $"σ_{i}: {s[i]:R} vs {sigma[i]:R}");
        }

        AssertRebuilds(shares, results);
    }

    [Fact]
    public void Streaming_gives_batch_singular_values_and_U_from_rows_passed_again()
    {
        var random = new Random(41);
        const int p = 5;
        var x = new Table<double>(DenseReference.Gaussian(random, 800 * p), 800, p);
        var batch = new Svd().Compute(x);
        var online = new Svd().CreateOnline();
        for (int i = 0; i < x.Rows; i += 130)
        {
            online.Add(x.SliceRows(i, Math.Min(130, x.Rows - i)));
        }

        var streamed = online.Finalize();
        Assert.Null(streamed.LeftSingularMatrix);
        Compare.Relative(batch.SingularValues, streamed.SingularValues, 1e-12, what: "s");
        var u = streamed.FormLeftSingularMatrix(x);
        AssertRebuilds([x], [new SvdResultView(streamed, u).Result]);
    }

    /// <summary>Pairs a streaming result with the U formed afterwards, for the shared checks.</summary>
    private sealed class SvdResultView(SvdResult streamed, Table<double> u)
    {
        public SvdResult Result { get; } = Rebuild(streamed, u);

        private static SvdResult Rebuild(SvdResult streamed, Table<double> u)
            => new(streamed.Rows, streamed.SingularValues, streamed.RightSingularMatrix!.Span.ToArray(), streamed.RightSingularMatrix.Columns, true, u);
    }
}
