using Distal.Algorithms;
using Distal.Tests.Data;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Regression;

/// <summary>Regression models through files: round trips, daal4py's field names, and clear errors for bad files.</summary>
[Trait("Category", "Algorithm")]
public class RegressionModelTests
{
    [Fact]
    public void Models_round_trip_through_files_exactly()
    {
        var random = new Random(31);
        var x = RegressionData.Features(random, 300, 4);
        var y = RegressionData.Responses(random, x, RegressionData.Coefficients(random, 4, 2), 2, noise: 0.3);
        using var dir = new TempDirectory();
        var linear = new LinearRegressionTraining { InterceptFlag = false }.Compute(x, y);
        linear.Save(dir.File("linear.json"));
        var loaded = LinearRegressionModel.Load(dir.File("linear.json"));
        Compare.Bitwise(linear.Beta.Span, loaded.Beta.Span, "linear beta");
        Assert.False(loaded.InterceptFlag);

        var ridge = new RidgeRegressionTraining { RidgeParameters = [0.25, 8] }.Compute(x, y);
        ridge.Save(dir.File("ridge.json"));
        var loadedRidge = RidgeRegressionModel.Load(dir.File("ridge.json"));
        Compare.Bitwise(ridge.Beta.Span, loadedRidge.Beta.Span, "ridge beta");
        Compare.Bitwise(
            new RidgeRegressionPrediction(ridge).Compute(x).Prediction.Span,
            new RidgeRegressionPrediction(loadedRidge).Compute(x).Prediction.Span,
            "predictions");

        string json = File.ReadAllText(dir.File("ridge.json"));
        foreach (string key in new[] { "\"format\": \"distal-model\"", "\"algorithm\": \"ridge-regression\"", "\"version\": 1", "\"beta\"", "\"numberOfBetas\": 5", "\"numberOfResponses\": 2", "\"interceptFlag\": true", "\"numberOfFeatures\": 4" })
        {
            Assert.Contains(key, json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Wrong_algorithm_truncated_and_inconsistent_files_are_input_errors_naming_the_file()
    {
        using var dir = new TempDirectory();
        var model = new RidgeRegressionModel(Table.FromArray(new double[,] { { 1, 2, 3 } }));
        model.Save(dir.File("ridge.json"));
        var wrong = Assert.Throws<DistalException>(() => LinearRegressionModel.Load(dir.File("ridge.json")));
        Assert.Equal(FailureKind.Input, wrong.Kind);
        Assert.Contains("ridge.json", wrong.Message, StringComparison.Ordinal);
        Assert.Contains("ridge-regression", wrong.Message, StringComparison.Ordinal);

        string text = File.ReadAllText(dir.File("ridge.json"));
        File.WriteAllText(dir.File("truncated.json"), text[..(text.Length / 2)]);
        var truncated = Assert.Throws<DistalException>(() => RidgeRegressionModel.Load(dir.File("truncated.json")));
        Assert.Equal(FailureKind.Input, truncated.Kind);
        Assert.Contains("truncated.json", truncated.Message, StringComparison.Ordinal);

        File.WriteAllText(dir.File("inconsistent.json"), text.Replace("\"numberOfFeatures\": 2", "\"numberOfFeatures\": 7", StringComparison.Ordinal));
        var inconsistent = Assert.Throws<DistalException>(() => RidgeRegressionModel.Load(dir.File("inconsistent.json")));
        Assert.Equal(FailureKind.Input, inconsistent.Kind);
        Assert.Contains("numberOfFeatures", inconsistent.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_data_width_that_does_not_match_the_model_fails_on_every_rank()
    {
        var model = new LinearRegressionModel(Table.FromArray(new double[,] { { 1, 2, 3 } }));
        var errors = Ranks.Run(3, s =>
        {
            var data = s.Rank == 1 ? Table<double>.Create(4, 3) : Table<double>.Create(5, 2);
            return Assert.Throws<DistalException>(() => new LinearRegressionPrediction(model) { Distributed = true }.Compute(data));
        });
        foreach (var e in errors)
        {
            Assert.Equal(FailureKind.Input, e.Kind);
            Assert.Equal(1, e.Rank);
            Assert.Contains("3 columns but the model has 2 features", e.Message, StringComparison.Ordinal);
        }
    }
}
