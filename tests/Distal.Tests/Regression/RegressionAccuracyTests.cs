using Distal.Algorithms;
using Distal.Kernels;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Regression;

/// <summary>
/// Linear and ridge regression against an independent decimal least-squares reference (28 digits): both methods,
/// with and without intercept, ill-conditioned and rank-deficient X, per-response ridge, features far from zero.
/// </summary>
[Trait("Category", "Algorithm")]
public class RegressionAccuracyTests
{
    [Theory]
    [InlineData(LinearRegressionMethod.NormEqDense, true)]
    [InlineData(LinearRegressionMethod.NormEqDense, false)]
    [InlineData(LinearRegressionMethod.QrDense, true)]
    [InlineData(LinearRegressionMethod.QrDense, false)]
    public void Well_conditioned_data_match_the_decimal_reference(LinearRegressionMethod method, bool intercept)
    {
        var random = new Random(21);
        const int n = 3000, p = 8, k = 3;
        var x = RegressionData.Features(random, n, p, offset: 2);
        var y = RegressionData.Responses(random, x, RegressionData.Coefficients(random, p, k), k, noise: 0.3);
        var expected = DecimalLeastSquares.Beta(DecimalLeastSquares.Exact(x), DecimalLeastSquares.Exact(y), intercept);

        var model = new LinearRegressionTraining { Method = method, InterceptFlag = intercept }.Compute(x, y);
        Assert.Equal((k, p + 1, p, intercept), (model.NumberOfResponses, model.NumberOfBetas, model.NumberOfFeatures, model.InterceptFlag));
        if (intercept)
        {
            Compare.Relative(expected, model.Beta.Span, 1e-9, what: "beta");
        }
        else
        {
            Compare.Relative(expected, model.Beta.Span, 1e-9, floor: 1e-300, what: "beta");
            for (int c = 0; c < k; c++)
            {
                Assert.Equal(0.0, model.Beta[c, 0]);
            }
        }
    }

    [Fact]
    public void Both_methods_agree_on_well_conditioned_data()
    {
        var random = new Random(22);
        var x = RegressionData.Features(random, 5000, 12);
        var y = RegressionData.Responses(random, x, RegressionData.Coefficients(random, 12, 2), 2, noise: 1);
        var normal = new LinearRegressionTraining { Method = LinearRegressionMethod.NormEqDense }.Compute(x, y);
        var qr = new LinearRegressionTraining { Method = LinearRegressionMethod.QrDense }.Compute(x, y);
        // Coefficients are of order 1: one that happens to be near 0 is compared on that scale.
        Compare.Relative(normal.Beta.Span, qr.Beta.Span, 1e-12, floor: 1, what: "qrDense vs normEqDense");
    }

    [Fact]
    public void QrDense_is_accurate_at_condition_number_1e7()
    {
        // Column 3 is column 0 plus a small independent part: the centered X has condition number about 1e7.
        var random = new Random(23);
        const int n = 2000, p = 4;
        var x = RegressionData.Features(random, n, p, scale: 64);
        for (int i = 0; i < n; i++)
        {
            x[i, 3] = DecimalLeastSquares.Grid(x[i, 0] + (2e-5 * RegressionData.Gaussian(random)));
        }

        double condition = ConditionNumberOfCentered(x);
        Assert.InRange(condition, 3e6, 3e7);
        var y = RegressionData.Responses(random, x, RegressionData.Coefficients(random, p, 1), 1, noise: 1e-3);
        var expected = DecimalLeastSquares.Beta(DecimalLeastSquares.Exact(x), DecimalLeastSquares.Exact(y), intercept: true);

        var model = new LinearRegressionTraining { Method = LinearRegressionMethod.QrDense }.Compute(x, y);
        Compare.Relative(expected, model.Beta.Span, 1e-6, what: $"qrDense at condition {condition:E1}");
    }

    [Theory]
    [InlineData(LinearRegressionMethod.NormEqDense)]
    [InlineData(LinearRegressionMethod.QrDense)]
    public void A_duplicated_column_gives_the_minimum_norm_solution(LinearRegressionMethod method)
    {
        // Columns 0..2 independent, column 3 = column 1: β₁ + β₃ is determined, and the least norm splits it evenly.
        var random = new Random(24);
        const int n = 1500;
        var unique = RegressionData.Features(random, n, 3, offset: 1);
        var x = Table<double>.Create(n, 4);
        for (int i = 0; i < n; i++)
        {
            unique.Row(i).CopyTo(x.Row(i));
            x[i, 3] = unique[i, 1];
        }

        var y = RegressionData.Responses(random, unique, RegressionData.Coefficients(random, 3, 2), 2, noise: 0.1);
        var reduced = DecimalLeastSquares.Beta(DecimalLeastSquares.Exact(unique), DecimalLeastSquares.Exact(y), intercept: true);
        var expected = new double[2 * 5];
        for (int c = 0; c < 2; c++)
        {
            expected[c * 5] = reduced[c * 4];
            expected[(c * 5) + 1] = reduced[(c * 4) + 1];
            expected[(c * 5) + 2] = reduced[(c * 4) + 2] / 2;
            expected[(c * 5) + 3] = reduced[(c * 4) + 3];
            expected[(c * 5) + 4] = reduced[(c * 4) + 2] / 2;
        }

        var model = new LinearRegressionTraining { Method = method }.Compute(x, y);
        Compare.Relative(expected, model.Beta.Span, 1e-9, what: $"{method} beta");
    }

    [Fact]
    public void Per_response_ridge_matches_the_closed_form()
    {
        var random = new Random(25);
        const int n = 400, p = 6, k = 3;
        var x = RegressionData.Features(random, n, p, offset: 3);
        var y = RegressionData.Responses(random, x, RegressionData.Coefficients(random, p, k), k, noise: 2);
        decimal[] lambdas = [0.5m, 40m, 2000m];
        var exactX = DecimalLeastSquares.Exact(x);
        var exactY = DecimalLeastSquares.Exact(y);

        foreach (bool intercept in new[] { true, false })
        {
            var expected = DecimalLeastSquares.Beta(exactX, exactY, intercept, lambdas);
            var model = new RidgeRegressionTraining { RidgeParameters = lambdas.Select(l => (double)l).ToArray(), InterceptFlag = intercept }.Compute(x, y);
            Compare.Relative(expected, model.Beta.Span, 1e-10, floor: 1e-300, what: $"ridge beta (intercept {intercept})");
        }

        // One value applies to every response.
        var shared = DecimalLeastSquares.Beta(exactX, exactY, true, [40m, 40m, 40m]);
        Compare.Relative(shared, new RidgeRegressionTraining { RidgeParameters = [40] }.Compute(x, y).Beta.Span, 1e-10, what: "shared ridge");
    }

    [Theory]
    [InlineData(LinearRegressionMethod.NormEqDense)]
    [InlineData(LinearRegressionMethod.QrDense)]
    public void Features_with_a_large_offset_keep_accurate_intercepts_and_slopes(LinearRegressionMethod method)
    {
        var random = new Random(26);
        const int n = 4000, p = 5, k = 2;
        var x = RegressionData.Features(random, n, p, offset: 1e6);
        var beta = RegressionData.Coefficients(random, p, k);
        var y = RegressionData.Responses(random, x, beta, k, noise: 0.5);
        var exactX = DecimalLeastSquares.Exact(x);
        var expected = DecimalLeastSquares.Beta(exactX, DecimalLeastSquares.Exact(y), intercept: true);

        var model = new LinearRegressionTraining { Method = method }.Compute(x, y);
        for (int c = 0; c < k; c++)
        {
            var row = expected.AsSpan(c * (p + 1), p + 1);
            Compare.Relative(row[1..], model.Beta.Row(c)[1..], 1e-9, what: $"slopes of response {c}");

            // β₀ = ȳ − x̄ᵀβ cancels terms of size 1e6·|β|: judge it on that scale.
            double scale = Math.Abs(row[0]);
            for (int j = 0; j < p; j++)
            {
                scale += 1e6 * Math.Abs(row[j + 1]);
            }

            double error = Math.Abs(model.Beta[c, 0] - row[0]);
            Assert.True(error <= 1e-9 * scale, $"intercept of response {c}: {model.Beta[c, 0]:R} vs {row[0]:R} (error {error:E2}, scale {scale:E2})");
        }
    }

    [Fact]
    public void Float_input_accumulates_in_double()
    {
        var random = new Random(27);
        var x = RegressionData.Features(random, 3000, 4);
        var y = RegressionData.Responses(random, x, RegressionData.Coefficients(random, 4, 1), 1, noise: 0.1);
        var xf = new Table<float>(x.Span.ToArray().Select(v => (float)v).ToArray(), 4);
        var yf = new Table<float>(y.Span.ToArray().Select(v => (float)v).ToArray(), 1);

        var fromFloat = new LinearRegressionTraining().Compute(xf, yf);
        var fromWidened = new LinearRegressionTraining().Compute(xf.ToDouble(), yf.ToDouble());
        Compare.Relative(fromWidened.Beta.Span, fromFloat.Beta.Span, 1e-13, what: "float vs widened");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(6)]
    public void Predictions_are_beta_applied_to_each_rank_s_own_rows(int k)
    {
        var random = new Random(28);
        var x = RegressionData.Features(random, 900, 5);
        var y = RegressionData.Responses(random, x, RegressionData.Coefficients(random, 5, k), k, noise: 0.2);
        var model = new LinearRegressionTraining().Compute(x, y);
        var expected = DecimalLeastSquares.Predict(DecimalLeastSquares.Exact(x), model.Beta.Span.ToArray(), k);

        var batch = new LinearRegressionPrediction(model).Compute(x).Prediction;
        Compare.Relative(expected, batch.Span, 1e-12, floor: 1, what: "batch prediction");

        var counts = new[] { 400, 0, 500 };
        var perRank = Ranks.Run(3, s => new LinearRegressionPrediction(model) { Distributed = true }.Compute(Ranks.Share(x, counts, s.Rank)).Prediction);
        for (int r = 0; r < 3; r++)
        {
            Assert.Equal((counts[r], k), (perRank[r].Rows, perRank[r].Columns));
            Compare.Bitwise(Ranks.Share(batch, counts, r).Span, perRank[r].Span, $"rank {r}");
        }
    }

    [Fact]
    public void Bad_ridge_parameters_and_a_missing_response_are_usage_errors()
    {
        var random = new Random(29);
        var x = RegressionData.Features(random, 50, 3);
        var y = RegressionData.Responses(random, x, RegressionData.Coefficients(random, 3, 2), 2, noise: 0.1);
        var count = Assert.Throws<DistalException>(() => new RidgeRegressionTraining { RidgeParameters = [1, 2, 3] }.Compute(x, y));
        Assert.Equal(FailureKind.Usage, count.Kind);
        Assert.Contains("3 ridge parameters for 2 responses", count.Message, StringComparison.Ordinal);
        var negative = Assert.Throws<DistalException>(() => new RidgeRegressionTraining { RidgeParameters = [-1] }.Compute(x, y));
        Assert.Equal(FailureKind.Usage, negative.Kind);
        var noResponse = Assert.Throws<DistalException>(() => new LinearRegressionTraining().Compute(x, Table<double>.Create(50, 0)));
        Assert.Contains("dependentVariables", noResponse.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Row_counts_of_data_and_dependent_variables_must_agree_on_every_rank()
    {
        var errors = Ranks.Run(3, s => Assert.Throws<DistalException>(() => new RidgeRegressionTraining { Distributed = true }
            .Compute(Table<double>.Create(10, 2), Table<double>.Create(s.Rank == 2 ? 9 : 10, 1))));
        foreach (var e in errors)
        {
            Assert.Equal(FailureKind.Input, e.Kind);
            Assert.Equal(2, e.Rank);
            Assert.Contains("data has 10 rows but dependentVariables has 9", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Statistics_that_overflow_are_an_input_error_naming_the_column()
    {
        var random = new Random(30);
        var x = RegressionData.Features(random, 200, 3);
        for (int i = 0; i < x.Rows; i++)
        {
            x[i, 1] *= 1e200;
        }

        var y = RegressionData.Responses(random, RegressionData.Features(random, 200, 3), RegressionData.Coefficients(random, 3, 1), 1, noise: 0.1);
        var e = Assert.Throws<DistalException>(() => new LinearRegressionTraining().Compute(x, y));
        Assert.Equal(FailureKind.Input, e.Kind);
        Assert.Contains("data column 2 is not finite", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Training_without_any_row_is_an_input_error_and_empty_ranks_are_fine()
    {
        var random = new Random(32);
        var x = RegressionData.Features(random, 40, 2);
        var y = RegressionData.Responses(random, x, RegressionData.Coefficients(random, 2, 1), 1, noise: 0.1);
        var batch = new LinearRegressionTraining().Compute(x, y);
        var models = Ranks.Run(3, s => new LinearRegressionTraining { Distributed = true }
            .Compute(s.Rank == 1 ? x : Table<double>.Create(0, 2), s.Rank == 1 ? y : Table<double>.Create(0, 1)));
        Compare.Relative(batch.Beta.Span, models[0].Beta.Span, 1e-12, what: "rows on one rank of three");

        var e = Assert.Throws<DistalException>(() => new LinearRegressionTraining().Compute(Table<double>.Create(0, 2), Table<double>.Create(0, 1)));
        Assert.Equal(FailureKind.Input, e.Kind);
        Assert.Contains("no rows", e.Message, StringComparison.Ordinal);
    }

    private static double ConditionNumberOfCentered(Table<double> x)
    {
        int n = x.Rows, p = x.Columns;
        var centered = x.Span.ToArray();
        for (int j = 0; j < p; j++)
        {
            double mean = 0;
            for (int i = 0; i < n; i++)
            {
                mean += centered[(i * p) + j];
            }

            mean /= n;
            for (int i = 0; i < n; i++)
            {
                centered[(i * p) + j] -= mean;
            }
        }

        var s = new double[p];
        DenseKernels.Managed.Svd(centered, n, p, s, new double[n * p], new double[p * p]);
        return s[0] / s[p - 1];
    }
}
