using Distal.Algorithms;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Regression;

/// <summary>
/// daal4py's regression examples on upstream's data: four training files (10 features, 2 responses, trailing commas)
/// on four ranks, predictions on the test file against upstream's outputs (float32-computed: 1e-6) and against the
/// decimal least-squares reference computed from the files' text (1e-9).
/// </summary>
[Trait("Category", "Algorithm")]
public class RegressionConformanceTests
{
    private const int Features = 10;
    private const int Responses = 2;

    public static TheoryData<LinearRegressionMethod> Methods => [LinearRegressionMethod.NormEqDense, LinearRegressionMethod.QrDense];

    [Theory]
    [MemberData(nameof(Methods))]
    public void Linear_regression_on_four_ranks_matches_upstream_and_the_reference(LinearRegressionMethod method)
    {
        var models = Ranks.Run(4, s =>
        {
            var (x, y) = TrainingShare(s.Rank);
            return new LinearRegressionTraining { Method = method, Distributed = true }.Compute(x, y);
        });
        for (int r = 1; r < 4; r++)
        {
            Compare.Bitwise(models[0].Beta.Span, models[r].Beta.Span, $"beta on rank {r}");
        }

        var (allX, allY) = Split(SharedData.ReadTable("batch/linear_regression_train.csv"));
        var batch = new LinearRegressionTraining { Method = method }.Compute(allX, allY);
        Compare.Relative(batch.Beta.Span, models[0].Beta.Span, 1e-12, what: "distributed vs batch");

        var exact = DecimalLeastSquares.ReadCsv(SharedData.PathOf("batch/linear_regression_train.csv"));
        var reference = DecimalLeastSquares.Beta(DecimalLeastSquares.Columns(exact, 0, Features), DecimalLeastSquares.Columns(exact, Features, Responses), intercept: true);
        Compare.Relative(reference, models[0].Beta.Span, 1e-9, what: "beta vs decimal reference");

        CheckPredictions(new LinearRegressionPrediction(models[0]), reference, "expected/linear_regression.csv");
    }

    [Fact]
    public void Ridge_regression_on_four_ranks_matches_upstream_and_the_closed_form()
    {
        var models = Ranks.Run(4, s =>
        {
            var (x, y) = TrainingShare(s.Rank);
            return new RidgeRegressionTraining { Distributed = true }.Compute(x, y);
        });
        var (allX, allY) = Split(SharedData.ReadTable("batch/linear_regression_train.csv"));
        Compare.Relative(new RidgeRegressionTraining().Compute(allX, allY).Beta.Span, models[0].Beta.Span, 1e-12, what: "distributed vs batch");

        var exact = DecimalLeastSquares.ReadCsv(SharedData.PathOf("batch/linear_regression_train.csv"));
        var reference = DecimalLeastSquares.Beta(DecimalLeastSquares.Columns(exact, 0, Features), DecimalLeastSquares.Columns(exact, Features, Responses), true, [1m, 1m]);
        Compare.Relative(reference, models[0].Beta.Span, 1e-9, what: "beta vs decimal closed form");

        CheckPredictions(new RidgeRegressionPrediction(models[0]), reference, "expected/ridge_regression.csv");
    }

    [Fact]
    public void Two_files_per_rank_train_like_two_tables()
    {
        // daal4py's two-file input: rank r reads its features and its dependent variables from separate files.
        var dir = Directory.CreateTempSubdirectory("distal-regression-");
        try
        {
            for (int r = 0; r < 4; r++)
            {
                var (x, _) = TrainingShare(r);
                DataFile.WriteCsv(Path.Combine(dir.FullName, $"x{r}.csv"), x);
            }

            var fromFiles = Ranks.Run(4, s => new LinearRegressionTraining { Distributed = true }
                .Compute(Path.Combine(dir.FullName, $"x{s.Rank}.csv"), SharedData.PathOf($"linear_regression_dependents_train_{s.Rank + 1}.csv")));
            var fromTables = Ranks.Run(4, s =>
            {
                var (x, y) = TrainingShare(s.Rank);
                return new LinearRegressionTraining { Distributed = true }.Compute(x, y);
            });
            Compare.Bitwise(fromTables[0].Beta.Span, fromFiles[0].Beta.Span, "beta from files");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static void CheckPredictions(RegressionPrediction prediction, double[] referenceBeta, string expectedFile)
    {
        var test = SharedData.ReadTable("linear_regression_test.csv");
        var testX = RegressionData.Columns(test, 0, Features);
        var predicted = prediction.Compute(testX).Prediction;
        // Upstream computed in float32: its error is relative to the terms each prediction sums (|β₀| + Σ|x_j·β_j|, up
        // to ~3000 here), not to the sum, which is as small as 4 for some rows (numpy's float64 lstsq is 7e-6 off such
        // an entry relative to its own value, 3e-8 relative to its terms).
        var upstream = SharedData.ReadTable(expectedFile);
        for (int i = 0; i < test.Rows; i++)
        {
            for (int c = 0; c < Responses; c++)
            {
                double scale = Math.Abs(referenceBeta[c * (Features + 1)]);
                for (int j = 0; j < Features; j++)
                {
                    scale += Math.Abs(testX[i, j] * referenceBeta[(c * (Features + 1)) + j + 1]);
                }

                double error = Math.Abs(predicted[i, c] - upstream[i, c]);
                Assert.True(error <= 1e-6 * scale, $"prediction [{i},{c}] vs {expectedFile}: {predicted[i, c]:R} vs {upstream[i, c]:R} (error {error:E2}, terms {scale:E2})");
            }
        }

        var exactTest = DecimalLeastSquares.Columns(DecimalLeastSquares.ReadCsv(SharedData.PathOf("linear_regression_test.csv")), 0, Features);
        Compare.Relative(DecimalLeastSquares.Predict(exactTest, referenceBeta, Responses), predicted.Span, 1e-9, what: "prediction vs decimal reference");
    }

    private static (Table<double> X, Table<double> Y) TrainingShare(int rank)
        => Split(SharedData.ReadTable($"linear_regression_train_{rank + 1}.csv"));

    private static (Table<double> X, Table<double> Y) Split(Table<double> table)
        => (RegressionData.Columns(table, 0, Features), RegressionData.Columns(table, Features, Responses));
}
