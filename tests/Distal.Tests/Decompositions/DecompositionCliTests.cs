using System.Globalization;
using System.Text.Json.Nodes;
using Distal.Tests.Cli;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Decompositions;

[Trait("Category", "Algorithm")]
public sealed class DecompositionCliTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("distal-decomp-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static double[][] ReadCsv(string path)
        => File.ReadAllLines(path).Where(l => l.Length > 0)
            .Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();

    [Fact]
    public void Pca_on_four_ranks_prints_upstream_eigenvectors_and_the_transform_matches_upstream()
    {
        string[] parts = Enumerable.Range(1, 4).Select(i => SharedData.PathOf($"pca_normalized_{i}.csv")).ToArray();
        var json = DistalProcess.RunJson(["pca", "--ranks", "4", "--method", "svdDense", "--deterministic", "--results", "mean|variance|eigenvalue", .. parts]);
        Assert.Equal(["eigenvalues", "eigenvectors", "means", "variances", "dataForTransform"], json.Select(p => p.Key).ToArray());
        var upstream = SharedData.ReadReference("expected/pca.csv").SelectMany(r => r).ToArray();
        Compare.Relative(upstream, DistalProcess.Flatten(json["eigenvectors"]), 1e-6, floor: 1, what: "eigenvectors");

        string model = Path.Combine(_directory, "pca.json");
        string input = SharedData.PathOf("batch/pca_transform.csv");
        var (code, _, stderr) = DistalProcess.Run("pca", "--deterministic", "--results", "mean|variance|eigenvalue", "--output", model, input);
        Assert.True(code == 0, stderr);
        string outputs = Path.Combine(_directory, "out");
        var transform = DistalProcess.RunJson("pca-transform", "--model", model, "--components", "2", "--ranks", "2", "--local-output-dir", outputs, input);
        Assert.Equal(4, transform["rows"]!.GetValue<long>());
        var rows = ReadCsv(Path.Combine(outputs, "transformedData_0.csv")).Concat(ReadCsv(Path.Combine(outputs, "transformedData_1.csv"))).SelectMany(r => r).ToArray();
        Compare.Relative(SharedData.ReadReference("expected/pca_transform.csv").SelectMany(r => r).ToArray(), rows, 1e-6, floor: 1, what: "transformed");
    }

    [Fact]
    public void Qr_and_svd_write_each_ranks_rows_which_rebuild_the_input()
    {
        string[] parts = Enumerable.Range(1, 2).Select(i => SharedData.PathOf($"qr_{i}.csv")).ToArray();
        string outputs = Path.Combine(_directory, "qr");
        var qr = DistalProcess.RunJson(["qr", "--ranks", "2", "--local-output-dir", outputs, .. parts]);
        var r = DistalProcess.Flatten(qr["matrixR"]);
        int p = 18;
        for (int rank = 0; rank < 2; rank++)
        {
            var q = ReadCsv(Path.Combine(outputs, $"matrixQ_{rank}.csv"));
            var x = SharedData.ReadReference($"qr_{rank + 1}.csv");
            Assert.Equal(x.Length, q.Length);
            var rebuilt = DenseReference.Multiply(q.SelectMany(v => v).ToArray(), q.Length, p, r, p);
            Assert.True(DenseReference.RelativeError(rebuilt, x.SelectMany(v => v).ToArray()) <= 1e-12);
        }

        var svd = DistalProcess.RunJson(["svd", "--ranks", "2", "--left-singular-matrix", "notRequired", .. parts]);
        Assert.Equal(["singularValues", "rightSingularMatrix"], svd.Select(kv => kv.Key).ToArray());
        var onlyValues = DistalProcess.RunJson(["svd", "--ranks", "2", "--right-singular-matrix", "notRequired", "--left-singular-matrix", "notRequired", .. parts]);
        Assert.Equal(["singularValues"], onlyValues.Select(kv => kv.Key).ToArray());
        Compare.Relative(DistalProcess.Flatten(svd["singularValues"]), DistalProcess.Flatten(onlyValues["singularValues"]), 1e-12, what: "s");
    }

    [Fact]
    public void Bad_pca_options_exit_non_zero_with_one_line()
    {
        var (code, stdout, stderr) = DistalProcess.Run("pca", "--results", "mean|bogus", SharedData.PathOf("pca_normalized_1.csv"));
        Assert.NotEqual(0, code);
        Assert.Equal("", stdout);
        Assert.Equal("distal: --results: 'bogus' is not one of mean, variance, eigenvalue, none", stderr.Trim());

        (code, _, stderr) = DistalProcess.Run("pca", "--components", "11", "--ranks", "2", SharedData.PathOf("pca_normalized_1.csv"));
        Assert.NotEqual(0, code);
        Assert.Contains("nComponents is 11 but the data have 10 columns", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}
