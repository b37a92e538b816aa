using System.Globalization;
using Distal.Algorithms;
using Distal.Tests.Cli;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Regression;

/// <summary>The four regression commands as a user runs them, on upstream's files.</summary>
[Trait("Category", "Algorithm")]
public sealed class RegressionCliTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("distal-regression-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string[] TrainingFiles => Enumerable.Range(1, 4).Select(i => SharedData.PathOf($"linear_regression_train_{i}.csv")).ToArray();

    [Fact]
    public void Training_on_four_ranks_saves_a_model_whose_predictions_match_upstream_in_rank_order()
    {
        string model = Path.Combine(_directory, "linear.json");
        var json = DistalProcess.RunJson(["linear-regression-training", "--ranks", "4", "--responses", "2", "--model-output", model, .. TrainingFiles]);
        Assert.Equal(["beta", "numberOfBetas", "numberOfResponses", "interceptFlag", "numberOfFeatures"], json.Select(p => p.Key).ToArray());
        Compare.Bitwise(LinearRegressionModel.Load(model).Beta.Span, DistalProcess.Flatten(json["beta"]), "beta in the model file and the JSON");

        // The test file keeps its two response columns: --responses 2 skips them. Three ranks split it by rows.
        string outputs = Path.Combine(_directory, "out");
        var prediction = DistalProcess.RunJson("linear-regression-prediction", "--ranks", "3", "--model", model, "--responses", "2", "--local-output-dir", outputs, SharedData.PathOf("linear_regression_test.csv"));
        var all = DistalProcess.Flatten(prediction["prediction"]);
        var expected = SharedData.ReadReference("expected/linear_regression.csv").SelectMany(r => r).ToArray();
        Compare.Relative(expected, all, 1e-5, what: "prediction vs upstream");
        var fromFiles = Enumerable.Range(0, 3).SelectMany(r => ReadCsv(Path.Combine(outputs, $"prediction_{r}.csv"))).ToArray();
        Compare.Bitwise(all, fromFiles, "prediction_<rank>.csv in rank order");
    }

    [Fact]
    public void Dependent_files_per_rank_and_the_last_columns_give_the_same_ridge_model()
    {
        string[] features = new string[4];
        for (int r = 0; r < 4; r++)
        {
            features[r] = Path.Combine(_directory, $"x{r}.csv");
            File.WriteAllLines(features[r], File.ReadAllLines(TrainingFiles[r]).Where(l => l.Length > 0).Select(l => string.Join(',', l.Split(',').Take(10))));
        }

        string[] dependents = Enumerable.Range(1, 4).Select(i => SharedData.PathOf($"linear_regression_dependents_train_{i}.csv")).ToArray();
        var fromFiles = DistalProcess.RunJson(["ridge-regression-training", "--ranks", "4", "--ridge", "0.5,20", .. features, "--dependent", .. dependents]);
        var fromColumns = DistalProcess.RunJson(["ridge-regression-training", "--ranks", "4", "--ridge", "0.5,20", "--responses", "2", .. TrainingFiles]);
        Compare.Bitwise(DistalProcess.Flatten(fromColumns["beta"]), DistalProcess.Flatten(fromFiles["beta"]), "beta");

        // Each response really gets its own λ: the second row differs from a run with λ = 0.5 for both.
        var shared = DistalProcess.RunJson(["ridge-regression-training", "--ranks", "4", "--ridge", "0.5", "--responses", "2", .. TrainingFiles]);
        var a = DistalProcess.Flatten(shared["beta"]);
        var b = DistalProcess.Flatten(fromColumns["beta"]);
        Compare.Bitwise(a.AsSpan(0, 11), b.AsSpan(0, 11), "first response (λ = 0.5 in both)");
        Assert.NotEqual(a[12], b[12]);
    }

    [Fact]
    public void Bad_regression_command_lines_and_models_exit_non_zero_with_one_line()
    {
        string train = SharedData.PathOf("batch/linear_regression_train.csv");
        string model = Path.Combine(_directory, "ridge.json");
        Assert.Equal(0, DistalProcess.Run("ridge-regression-training", "--responses", "2", "--model-output", model, train).ExitCode);
        string truncated = Path.Combine(_directory, "truncated.json");
        File.WriteAllText(truncated, File.ReadAllText(model)[..40]);

        (string[] Arguments, int Exit, string Message)[] cases =
        [
            (["linear-regression-training", "--ranks", "2", train], 2, "--responses K"),
            (["linear-regression-training", "--dependent", train, train], 2, "--dependent takes every file after it"),
            (["linear-regression-training", "--responses", "2", train, "--dependent", train], 2, "one of the two"),
            (["ridge-regression-training", "--responses", "2", "--ridge", "1,2,3", train], 2, "3 ridge parameters for 2 responses"),
            (["ridge-regression-training", "--responses", "2", "--ridge", "-1", train], 2, "--ridge"),
            (["linear-regression-training", "--responses", "12", train], 1, "leaves no feature"),
            (["linear-regression-prediction", "--ranks", "2", "--model", model, train], 1, "ridge-regression model"),
            (["ridge-regression-prediction", "--ranks", "2", "--model", model, train], 1, "12 columns but the model has 10 features"),
            (["ridge-regression-prediction", "--ranks", "2", "--model", truncated, train], 1, "truncated.json"),
        ];
        foreach (var (arguments, exit, message) in cases)
        {
            var (code, stdout, stderr) = DistalProcess.Run(arguments);
            string command = string.Join(' ', arguments);
            Assert.True(code == exit, $"{command}: exit {code}, expected {exit}: {stderr}");
            Assert.True(stdout.Length == 0, $"{command} printed: {stdout}");
            Assert.Single(stderr.Trim().Split('\n'));
            Assert.Contains(message, stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Benchmark_times_training_and_prediction()
    {
        var training = DistalProcess.RunJson("benchmark", "ridge-regression-training", "--rows", "20000", "--cols", "6", "--responses", "1", "--repeat", "2");
        Assert.Equal("ridge-regression-training", training["algorithm"]!.GetValue<string>());
        Assert.True(training["medianSeconds"]!.GetValue<double>() > 0);

        string model = Path.Combine(_directory, "model.json");
        new LinearRegressionModel(Table.FromArray(new double[,] { { 1, 2, 3, 4, 5, 6 } })).Save(model);
        var prediction = DistalProcess.RunJson("benchmark", "linear-regression-prediction", "--rows", "20000", "--cols", "5", "--ranks", "2", "--model", model, "--repeat", "2");
        Assert.True(prediction["medianSeconds"]!.GetValue<double>() > 0);
    }

    private static double[] ReadCsv(string path)
        => File.ReadAllLines(path).Where(l => l.Length > 0)
            .SelectMany(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture))).ToArray();
}
