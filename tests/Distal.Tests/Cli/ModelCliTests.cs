using Distal.Tests.Data;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Cli;

/// <summary>Training writes `--model-output`, prediction and transform read `--model`; bad model files are one line and exit 1 on every rank.</summary>
public class ModelCliTests
{
    [Fact]
    public void Pca_model_output_feeds_pca_transform_like_the_json_result_does()
    {
        using var directory = new TempDirectory();
        string input = SharedData.PathOf("pca_normalized_1.csv");
        string model = directory.File("pca-model.json");
        string result = directory.File("pca-result.json");
        var (code, _, stderr) = DistalProcess.Run("pca", "--ranks", "2", "--results", "mean|variance|eigenvalue", "--model-output", model, "--output", result, input);
        Assert.True(code == 0, stderr);
        Assert.Contains("\"format\": \"distal-model\"", File.ReadAllText(model), StringComparison.Ordinal);

        string fromModel = directory.File("from-model");
        string fromResult = directory.File("from-result");
        DistalProcess.RunJson("pca-transform", "--model", model, "--ranks", "2", "--local-output-dir", fromModel, input);
        DistalProcess.RunJson("pca-transform", "--model", result, "--ranks", "2", "--local-output-dir", fromResult, input);
        for (int rank = 0; rank < 2; rank++)
        {
            Assert.Equal(File.ReadAllText(Path.Combine(fromResult, $"transformedData_{rank}.csv")), File.ReadAllText(Path.Combine(fromModel, $"transformedData_{rank}.csv")));
        }
    }

    [Fact]
    public void Kmeans_model_output_is_accepted_as_centroids()
    {
        using var directory = new TempDirectory();
        string input = SharedData.PathOf("kmeans_dense.csv");
        string model = directory.File("kmeans-model.json");
        var first = DistalProcess.RunJson("kmeans", "--clusters", "5", "--max-iterations", "3", "--ranks", "3", "--model-output", model, input);
        var again = DistalProcess.RunJson("kmeans", "--clusters", "5", "--max-iterations", "0", "--ranks", "2", "--centroids", model, input);
        Compare.Relative(DistalProcess.Flatten(first["centroids"]), DistalProcess.Flatten(again["centroids"]), 0, what: "centroids");
    }

    [Theory]
    [InlineData("[1, 2, 3]", "a model is a JSON object, not a list")]
    [InlineData("{\"format\": \"distal-model\", \"algorithm\": \"kmeans\", \"version\": 1, \"centroids\": [[1]]}", "a kmeans model, but a pca model is needed")]
    [InlineData("{\"eigenvalues\": [1], \"eigenvectors\": [[1, 2, 3]]}", "rows have 10 columns; the components have 3")]
    [InlineData("{\"eigenvalues\": [1], \"eigenvectors\": [[1, null]]}", "must be numbers, not null")]
    [InlineData("{\"format\": \"distal-mod", "not a JSON model")]
    public void A_bad_model_is_one_line_and_exit_1_on_every_rank(string json, string expected)
    {
        using var directory = new TempDirectory();
        string model = directory.Write("bad.json", json);
        var (code, stdout, stderr) = DistalProcess.Run("pca-transform", "--model", model, "--ranks", "3", SharedData.PathOf("pca_normalized_1.csv"));
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("distal: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", line, StringComparison.Ordinal);
    }
}
