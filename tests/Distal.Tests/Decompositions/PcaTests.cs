using Distal.Algorithms;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Decompositions;

[Trait("Category", "Algorithm")]
public class PcaTests
{
    private const PcaResultsToCompute All = PcaResultsToCompute.Mean | PcaResultsToCompute.Variance | PcaResultsToCompute.Eigenvalue;

    public static TheoryData<PcaMethod> Methods => [PcaMethod.CorrelationDense, PcaMethod.SvdDense];

    /// <summary>Independent float64 PCA: sample covariance, optionally correlation, Jacobi eigen, oneDAL's sign rule.</summary>
    internal static (double[] Values, double[] Vectors, double[] Means, double[] Variances) Reference(Table<double> x, bool scale)
    {
        int n = x.Rows;
        int p = x.Columns;
        var means = new double[p];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < p; j++)
            {
                means[j] += x[i, j] / n;
            }
        }

        var c = new double[p * p];
        for (int i = 0; i < n; i++)
        {
            for (int a = 0; a < p; a++)
            {
                for (int b = 0; b < p; b++)
                {
                    c[(a * p) + b] += (x[i, a] - means[a]) * (x[i, b] - means[b]) / (n - 1);
                }
            }
        }

        var variances = Enumerable.Range(0, p).Select(j => c[(j * p) + j]).ToArray();
        if (scale)
        {
            for (int a = 0; a < p; a++)
            {
                for (int b = 0; b < p; b++)
                {
                    c[(a * p) + b] /= Math.Sqrt(variances[a] * variances[b]);
                }
            }
        }

        var (values, vectors) = DenseReference.SymmetricEigen(c, p);
        DenseReference.LargestComponentPositive(vectors, p);
        return (values, vectors, means, variances);
    }

    private static Table<double> Correlated(Random random, int n, int p)
    {
        var mixing = DenseReference.Gaussian(random, p * p);
        var z = DenseReference.Gaussian(random, n * p);
        var x = DenseReference.Multiply(z, n, p, mixing, p);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < p; j++)
            {
                // Offsets and scales far from 0 and 1, so centering and scaling matter.
                x[(i * p) + j] = (x[(i * p) + j] * (1 + j)) + (100 * j) - 7;
            }
        }

        return new Table<double>(x, n, p);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Eigenvectors_match_upstream_and_an_independent_eigendecomposition(PcaMethod method)
    {
        var x = SharedData.ReadTable("batch/pca_normalized.csv");
        var result = new Pca { Method = method, IsDeterministic = true, ResultsToCompute = All }.Compute(x);
        var upstream = SharedData.ReadReference("expected/pca.csv").SelectMany(r => r).ToArray();
        Compare.Relative(upstream, result.Eigenvectors.Span, 1e-6, floor: 1, what: "eigenvectors vs upstream");

        var (values, vectors, means, variances) = Reference(x, scale: true);
        Compare.Relative(values, result.Eigenvalues, 1e-10, what: "eigenvalues");
        Compare.Relative(vectors, result.Eigenvectors.Span, 1e-10, floor: 1, what: "eigenvectors");
        Compare.Relative(means, result.Means!, 1e-10, floor: 1, what: "means");
        Compare.Relative(variances, result.Variances!, 1e-12, what: "variances");
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Upstream_four_files_on_four_ranks_equal_batch(PcaMethod method)
    {
        var x = SharedData.ReadTable("batch/pca_normalized.csv");
        var batch = new Pca { Method = method, IsDeterministic = true, ResultsToCompute = All }.Compute(x);
        var results = Ranks.Run(4, s => new Pca { Method = method, IsDeterministic = true, ResultsToCompute = All, Distributed = true }
            .Compute(SharedData.PathOf($"pca_normalized_{s.Rank + 1}.csv")));
        foreach (var r in results)
        {
            Compare.Bitwise(results[0].Eigenvalues, r.Eigenvalues, "eigenvalues on every rank");
            Compare.Bitwise(results[0].Eigenvectors.Span, r.Eigenvectors.Span, "eigenvectors on every rank");
        }

        Compare.Relative(batch.Eigenvalues, results[0].Eigenvalues, 1e-12, what: "eigenvalues");
        Compare.Relative(batch.Eigenvectors.Span, results[0].Eigenvectors.Span, 1e-10, floor: 1, what: "eigenvectors");
        Compare.Relative(batch.Means!, results[0].Means!, 1e-12, floor: 1, what: "means");
        Compare.Relative(batch.Variances!, results[0].Variances!, 1e-12, what: "variances");
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Any_split_with_empty_and_one_row_ranks_equals_batch_and_the_float64_reference(PcaMethod method)
    {
        var random = new Random(method == PcaMethod.SvdDense ? 51 : 52);
        var x = Correlated(random, 240, 6);
        foreach (bool scale in new[] { true, false })
        {
            var (values, vectors, means, variances) = Reference(x, scale);
            var batch = new Pca { Method = method, IsDeterministic = true, DoScale = scale }.Compute(x);
            Compare.Relative(values, batch.Eigenvalues, 1e-10, what: $"eigenvalues, scale {scale}");
            Compare.Relative(vectors, batch.Eigenvectors.Span, 1e-10, floor: 1, what: $"eigenvectors, scale {scale}");
            Compare.Relative(means, batch.Means!, 1e-12, floor: 1, what: "means");
            Compare.Relative(variances, batch.Variances!, 1e-12, what: "variances");
            for (int trial = 0; trial < 8; trial++)
            {
                int ranks = 1 + trial;
                var counts = Ranks.RandomCounts(random, x.Rows, ranks);
                if (ranks >= 3)
                {
                    // One rank with a single row: daal4py's svdDense normalizes it with its own variance and gets NaN.
                    int donor = Array.IndexOf(counts, counts[..^1].Max());
                    counts[donor] += counts[ranks - 1] - 1;
                    counts[ranks - 1] = 1;
                }

                Assert.Equal(x.Rows, counts.Sum());
                var results = Ranks.Run(ranks, s => new Pca { Method = method, IsDeterministic = true, DoScale = scale, Distributed = true }
                    .Compute(Ranks.Share(x, counts, s.Rank)));
                Compare.Relative(batch.Eigenvalues, results[0].Eigenvalues, 1e-12, what: $"eigenvalues, split {string.Join('/', counts)}");
                Compare.Relative(batch.Eigenvectors.Span, results[0].Eigenvectors.Span, 1e-10, floor: 1, what: $"eigenvectors, split {string.Join('/', counts)}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Streaming_alone_and_with_distribution_equals_batch(PcaMethod method)
    {
        var random = new Random(61);
        var x = Correlated(random, 500, 5);
        var batch = new Pca { Method = method, IsDeterministic = true, NComponents = 3 }.Compute(x);
        var online = new Pca { Method = method, IsDeterministic = true, NComponents = 3 }.CreateOnline();
        for (int i = 0; i < x.Rows; i += 77)
        {
            online.Add(x.SliceRows(i, Math.Min(77, x.Rows - i)));
        }

        var streamed = online.Finalize();
        Compare.Relative(batch.Eigenvalues, streamed.Eigenvalues, 1e-12, what: "eigenvalues");
        Compare.Relative(batch.Eigenvectors.Span, streamed.Eigenvectors.Span, 1e-10, floor: 1, what: "eigenvectors");

        var counts = new[] { 0, 300, 200 };
        var results = Ranks.Run(3, s =>
        {
            var share = Ranks.Share(x, counts, s.Rank);
            var stream = new Pca { Method = method, IsDeterministic = true, NComponents = 3, Distributed = true }.CreateOnline();
            for (int i = 0; i < share.Rows; i += 45)
            {
                stream.Add(share.SliceRows(i, Math.Min(45, share.Rows - i)));
            }

            return stream.Finalize();
        });
        Compare.Relative(batch.Eigenvalues, results[0].Eigenvalues, 1e-12, what: "eigenvalues, streaming + distributed");
        Compare.Relative(batch.Eigenvectors.Span, results[0].Eigenvectors.Span, 1e-10, floor: 1, what: "eigenvectors, streaming + distributed");
    }

    [Fact]
    public void Components_and_results_to_compute_shape_the_result()
    {
        var x = SharedData.ReadTable("batch/pca_normalized.csv");
        var full = new Pca { IsDeterministic = true }.Compute(x);
        var two = new Pca { IsDeterministic = true, NComponents = 2, ResultsToCompute = PcaResultsToCompute.None }.Compute(x);
        Assert.Equal(2, two.Eigenvalues.Length);
        Assert.Equal(2, two.Eigenvectors.Rows);
        Assert.Equal(full.Eigenvectors.Span[..20].ToArray(), two.Eigenvectors.Span.ToArray());
        Assert.Null(two.Means);
        Assert.Null(two.Variances);
        Assert.Null(two.DataForTransform.Mean);
        Assert.Null(two.DataForTransform.Eigenvalue);
        Assert.NotNull(full.Means);
        Assert.Null(full.DataForTransform.Eigenvalue);
    }

    [Fact]
    public void A_precomputed_correlation_matrix_gives_the_same_components()
    {
        var x = SharedData.ReadTable("batch/pca_normalized.csv");
        var fromData = new Pca { IsDeterministic = true }.Compute(x);
        int p = x.Columns;
        var (_, _, means, variances) = Reference(x, scale: false);
        var covariance = new double[p * p];
        for (int i = 0; i < x.Rows; i++)
        {
            for (int a = 0; a < p; a++)
            {
                for (int b = 0; b < p; b++)
                {
                    covariance[(a * p) + b] += (x[i, a] - means[a]) * (x[i, b] - means[b]) / (x.Rows - 1);
                }
            }
        }

        var correlation = new double[p * p];
        for (int a = 0; a < p; a++)
        {
            for (int b = 0; b < p; b++)
            {
                correlation[(a * p) + b] = covariance[(a * p) + b] / Math.Sqrt(variances[a] * variances[b]);
            }
        }

        var matrix = new Table<double>(correlation, p, p);
        var results = Ranks.Run(2, s => new Pca { IsDeterministic = true, IsCorrelation = true, Distributed = true }
            .Compute(s.Rank == 0 ? matrix : Table<double>.Empty(p)));
        Compare.Relative(fromData.Eigenvalues, results[1].Eigenvalues, 1e-12, what: "eigenvalues");
        Compare.Relative(fromData.Eigenvectors.Span, results[1].Eigenvectors.Span, 1e-10, floor: 1, what: "eigenvectors");
        Assert.All(results[1].Means!, m => Assert.Equal(0.0, m));
        Assert.All(results[1].Variances!, v => Assert.Equal(1.0, v));
    }

    [Fact]
    public void Too_many_components_fails_on_every_rank()
    {
        var x = SharedData.ReadTable("batch/pca_normalized.csv");
        var errors = Ranks.Run(3, s =>
        {
            try
            {
                new Pca { NComponents = 11, Distributed = true }.Compute(Ranks.Share(x, [500, 0, 500], s.Rank));
                return null;
            }
            catch (DistalException e)
            {
                return e;
            }
        });
        Assert.All(errors, e => Assert.Equal(FailureKind.Usage, e!.Kind));
    }

    [Fact]
    public void Transform_matches_upstream_with_whitening()
    {
        var x = SharedData.ReadTable("batch/pca_transform.csv");
        var pca = new Pca { IsDeterministic = true, ResultsToCompute = All }.Compute(x);
        var transformed = new PcaTransform(pca) { NComponents = 2 }.Compute(x).TransformedData;
        var upstream = SharedData.ReadReference("expected/pca_transform.csv").SelectMany(r => r).ToArray();
        Compare.Relative(upstream, transformed.Span, 1e-6, floor: 1, what: "transformed vs upstream");

        // Independent: standardize with the reference statistics, project, divide by √eigenvalue.
        var (values, vectors, means, variances) = Reference(x, scale: true);
        var expected = new double[x.Rows * 2];
        for (int i = 0; i < x.Rows; i++)
        {
            for (int c = 0; c < 2; c++)
            {
                double sum = 0;
                for (int j = 0; j < x.Columns; j++)
                {
                    sum += (x[i, j] - means[j]) / Math.Sqrt(variances[j]) * vectors[(c * x.Columns) + j];
                }

                expected[(i * 2) + c] = sum / Math.Sqrt(values[c]);
            }
        }

        Compare.Relative(expected, transformed.Span, 1e-10, floor: 1, what: "transformed vs float64");
    }

    [Fact]
    public void Distributed_transform_transforms_each_ranks_rows()
    {
        var x = SharedData.ReadTable("batch/pca_normalized.csv");
        var counts = new[] { 400, 0, 600 };
        var outputs = Ranks.Run(3, s =>
        {
            var share = Ranks.Share(x, counts, s.Rank);
            var pca = new Pca { Method = PcaMethod.SvdDense, IsDeterministic = true, ResultsToCompute = All, Distributed = true }.Compute(share);
            return new PcaTransform(pca) { NComponents = 3, Distributed = true }.Compute(share).TransformedData;
        });
        var batchPca = new Pca { Method = PcaMethod.SvdDense, IsDeterministic = true, ResultsToCompute = All }.Compute(x);
        var batch = new PcaTransform(batchPca) { NComponents = 3 }.Compute(x).TransformedData;
        var joined = DenseReference.Concatenate(outputs);
        Assert.Equal(x.Rows, joined.Rows);
        Compare.Relative(batch.Span, joined.Span, 1e-10, floor: 1, what: "distributed transform");
        Assert.Equal(0, outputs[1].Rows);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Float_rows_give_the_result_of_their_double_values(PcaMethod method)
    {
        var x = Correlated(new Random(71), 300, 4);
        var singles = x.Span.ToArray().Select(v => (float)v).ToArray();
        var widened = new Table<double>(singles.Select(v => (double)v).ToArray(), 300, 4);
        var fromFloat = new Pca { Method = method, IsDeterministic = true }.Compute(new Table<float>(singles, 300, 4));
        var fromDouble = new Pca { Method = method, IsDeterministic = true }.Compute(widened);
        Compare.Relative(fromDouble.Eigenvalues, fromFloat.Eigenvalues, 1e-14, what: "eigenvalues");
        Compare.Relative(fromDouble.Eigenvectors.Span, fromFloat.Eigenvectors.Span, 1e-12, floor: 1, what: "eigenvectors");
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void NaN_on_one_rank_fails_every_rank_naming_it(PcaMethod method)
    {
        var x = Correlated(new Random(81), 90, 3);
        x[70, 2] = double.PositiveInfinity;
        var counts = new[] { 30, 30, 30 };
        var errors = Ranks.Run(3, s =>
        {
            try
            {
                new Pca { Method = method, Distributed = true }.Compute(Ranks.Share(x, counts, s.Rank));
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
            Assert.Equal(2, e.Rank);
            Assert.Equal(FailureKind.Input, e.Kind);
        });

        x[70, 2] = double.NaN;
        var online = new Pca { Method = method }.CreateOnline();
        online.Add(x.SliceRows(0, 60));
        Assert.Equal(FailureKind.Input, Assert.Throws<DistalException>(() => online.Add(x.SliceRows(60, 30))).Kind);
    }
}
