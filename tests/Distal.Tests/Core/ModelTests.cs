using Distal.Algorithms;
using Distal.Tests.Data;

namespace Distal.Tests.Core;

/// <summary>The model layer: plain versioned JSON that round-trips exactly, reads legacy results, and rejects bad files with one line.</summary>
[Trait("Category", "Algorithm")]
public class ModelTests
{
    private static readonly Table<double> Rows = Table.FromArray(new double[,]
    {
        { 1, 2.5, -3 }, { 0.1, 7, 4 }, { -2, 1e-7, 8 }, { 3, 3, 3 }, { 1.0 / 3, -0.7, 2 },
    });

    [Fact]
    public void Pca_model_saves_as_plain_json_and_loads_to_the_same_doubles()
    {
        using var directory = new TempDirectory();
        var result = new Pca { ResultsToCompute = PcaResultsToCompute.Mean | PcaResultsToCompute.Variance | PcaResultsToCompute.Eigenvalue }.Compute(Rows);
        string path = directory.File("pca.json");
        result.Model.Save(path);

        string text = File.ReadAllText(path);
        Assert.Contains("\"format\": \"distal-model\"", text, StringComparison.Ordinal);
        Assert.Contains("\"algorithm\": \"pca\"", text, StringComparison.Ordinal);
        Assert.Contains("\"version\": 1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Distal.", text, StringComparison.Ordinal);

        var loaded = PcaModel.Load(path);
        Assert.Equal(result.Eigenvalues, loaded.Eigenvalues);
        Assert.Equal(result.Eigenvectors.Span.ToArray(), loaded.Eigenvectors.Span.ToArray());
        Assert.Equal(result.DataForTransform.Mean, loaded.DataForTransform.Mean);
        Assert.Equal(result.DataForTransform.Variance, loaded.DataForTransform.Variance);
        Assert.Equal(result.DataForTransform.Eigenvalue, loaded.DataForTransform.Eigenvalue);
        Assert.Equal(result.Means, loaded.Means);

        var direct = new PcaTransform(result.Model).Compute(Rows).TransformedData.Span.ToArray();
        var fromFile = new PcaTransform(loaded).Compute(Rows).TransformedData.Span.ToArray();
        Assert.Equal(direct, fromFile);
    }

    [Fact]
    public void Kmeans_model_round_trips_and_reads_a_plain_result_with_centroids()
    {
        using var directory = new TempDirectory();
        var centroids = Table.FromArray(new double[,] { { 0.1, 1e-300 }, { 1.0 / 3, -7e22 } });
        string path = directory.File("kmeans.json");
        new KMeansModel(centroids).Save(path);
        Assert.Equal(centroids.Span.ToArray(), KMeansModel.Load(path).Centroids.Span.ToArray());

        string legacy = directory.Write("result.json", "{\"centroids\": [[1, 2], [3, 4]], \"objectiveFunction\": 1.5, \"nIterations\": 3}");
        Assert.Equal(new double[] { 1, 2, 3, 4 }, KMeansModel.Load(legacy).Centroids.Span.ToArray());
    }

    [Fact]
    public void Legacy_pca_result_json_still_loads()
    {
        using var directory = new TempDirectory();
        string path = directory.Write("pca-result.json", """
            {"eigenvalues": [2, 1], "eigenvectors": [[1, 0], [0, 1]], "means": [5, 6],
             "dataForTransform": {"mean": [5, 6], "variance": [4, 9]}}
            """);
        var model = PcaModel.Load(path);
        Assert.Equal(new double[] { 5, 6 }, model.DataForTransform.Mean);
        Assert.Null(model.DataForTransform.Eigenvalue);
    }

    [Theory]
    [InlineData("[1, 2]", "a model is a JSON object, not a list")]
    [InlineData("{\"format\": \"distal-model\", \"algorithm\": \"kmeans\", \"version\": 1, \"centroids\": [[1]]}", "a kmeans model, but a pca model is needed")]
    [InlineData("{\"format\": \"distal-model\", \"algorithm\": \"pca\", \"version\": 9, \"eigenvalues\": [1], \"eigenvectors\": [[1]]}", "pca model version 9")]
    [InlineData("{\"format\": \"other\", \"algorithm\": \"pca\", \"version\": 1}", "\"format\" is \"other\"")]
    [InlineData("{\"format\": \"distal-model\", \"algorithm\": \"pca\", \"version\": 1, \"eigenvalues\": [1]}", "no \"eigenvectors\" field")]
    [InlineData("{\"format\": \"distal-model\", \"algorithm\": \"pca\", \"version\": 1, \"eigenvalues\": [1], \"eigenvectors\": 3}", "\"eigenvectors\" must be a non-empty array of rows, not a number")]
    [InlineData("{\"format\": \"distal-model\", \"algorithm\": \"pca\", \"version\": 1, \"eigenvalues\": [1], \"eigenvectors\": [[1, null]]}", "\"eigenvectors\" must be numbers, not null")]
    [InlineData("{\"format\": \"distal-model\", \"algorithm\": \"pca\", \"version\": 1, \"eigenvalues\": [1], \"eigenvectors\": [[1, 2], [3]]}", "rows of 2 and 1 values")]
    [InlineData("{\"format\": \"distal-model\", \"algorithm\": \"pca\", \"version\": 1, \"eigenvalues\": null, \"eigenvectors\": [[1]]}", "\"eigenvalues\" is null")]
    [InlineData("{\"format\": \"distal-model\", \"algorithm\": \"pca\", \"version\": 1, \"eigenvalues\": [1], \"eigenvectors\": [[1, 2]], \"dataForTransform\": {\"mean\": [1]}}", "mean has 1 values; the components have 2 columns")]
    [InlineData("{\"format\": \"distal-model\", \"algorithm\": \"pca\", \"version\": 1, \"eigenvalues\": [1], \"eigenvectors\": [[1]], \"dataForTransform\": []}", "\"dataForTransform\" must be an object, not a list")]
    [InlineData("{\"format\": \"distal-model\", \"algorithm\": \"pca\", \"ver", "not a JSON model")]
    [InlineData("", "not a JSON model")]
    public void Malformed_models_give_one_input_error_naming_the_file(string json, string expected)
    {
        using var directory = new TempDirectory();
        string path = directory.Write("bad.json", json);
        var error = Assert.Throws<DistalException>(() => PcaModel.Load(path));
        Assert.Equal(FailureKind.Input, error.Kind);
        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_missing_model_file_is_an_input_error()
    {
        var error = Assert.Throws<DistalException>(() => KMeansModel.Load("/nonexistent/model.json"));
        Assert.Equal(FailureKind.Input, error.Kind);
        Assert.Contains("/nonexistent/model.json", error.Message, StringComparison.Ordinal);
    }
}
