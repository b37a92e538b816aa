using Distal.Algorithms;
using Distal.Tests.Cli;
using Distal.Tests.Infrastructure;
using Lloyd = Distal.Algorithms.KMeans;

namespace Distal.Tests.KMeans;

[Trait("Category", "Algorithm")]
public sealed class KMeansCliTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("distal-kmeans-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Kmeans_init_on_three_ranks_prints_the_batch_centroids()
    {
        string data = SharedData.PathOf("kmeans_dense.csv");
        var json = DistalProcess.RunJson("kmeans-init", "--clusters", "10", "--method", "plusPlusDense", "--seed", "42", "--ranks", "3", data);
        var batch = new KMeansInit(10, KMeansInitMethod.PlusPlusDense) { Seed = 42 }.Compute(SharedData.ReadTable("kmeans_dense.csv")).Centroids;
        Compare.Bitwise(batch.Span, DistalProcess.Flatten(json["centroids"]));
    }

    [Fact]
    public void Kmeans_from_a_json_result_writes_global_and_per_rank_assignments()
    {
        string data = SharedData.PathOf("kmeans_dense.csv");
        string init = Path.Combine(_directory, "init.json");
        string local = Path.Combine(_directory, "local");
        Assert.Equal(0, DistalProcess.Run("kmeans-init", "--clusters", "5", "--method", "randomDense", "--output", init, data).ExitCode);
        var (code, _, stderr) = DistalProcess.Run("kmeans", "--clusters", "5", "--max-iterations", "8", "--centroids", init, "--ranks", "4", "--local-output-dir", local, "--output", Path.Combine(_directory, "result.json"), data);
        Assert.True(code == 0, stderr);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(_directory, "result.json")))!;

        var table = SharedData.ReadTable("kmeans_dense.csv");
        var initial = new KMeansInit(5, KMeansInitMethod.RandomDense).Compute(table).Centroids;
        var batch = new Lloyd(5, 8).Compute(table, initial);
        Compare.MatrixNorm(batch.Centroids.Span, DistalProcess.Flatten(json["centroids"]), 1e-12);
        Assert.Equal(batch.NIterations, json["nIterations"]!.GetValue<int>());
        Compare.Relative([batch.ObjectiveFunction], [json["objectiveFunction"]!.GetValue<double>()], 1e-12);
        var assignments = json["assignments"]!.AsArray().Select(a => a!.GetValue<int>()).ToArray();
        Assert.Equal(batch.Assignments, assignments);
        var perRank = Enumerable.Range(0, 4).SelectMany(r => File.ReadAllLines(Path.Combine(local, $"assignments_{r}.csv")).Select(int.Parse)).ToArray();
        Assert.Equal(batch.Assignments, perRank);
    }

    [Fact]
    public void Out_of_core_kmeans_equals_the_in_memory_run()
    {
        var lines = File.ReadAllLines(SharedData.PathOf("kmeans_dense.csv"));
        string first = Path.Combine(_directory, "part0.csv");
        string second = Path.Combine(_directory, "part1.csv");
        File.WriteAllLines(first, lines.Take(3000));
        File.WriteAllLines(second, lines.Skip(3000));
        string init = Path.Combine(_directory, "init.csv");
        File.WriteAllLines(init, lines.Take(6));
        var inMemory = DistalProcess.RunJson("kmeans", "--clusters", "6", "--max-iterations", "10", "--centroids", init, "--ranks", "2", first, second);
        var streamed = DistalProcess.RunJson("kmeans", "--clusters", "6", "--max-iterations", "10", "--centroids", init, "--ranks", "2", "--out-of-core", "--chunk-rows", "700", first, second);
        Compare.MatrixNorm(DistalProcess.Flatten(inMemory["centroids"]), DistalProcess.Flatten(streamed["centroids"]), 1e-12);
        Assert.Equal(inMemory["nIterations"]!.GetValue<int>(), streamed["nIterations"]!.GetValue<int>());
        Assert.Equal(DistalProcess.Flatten(inMemory["assignments"]), DistalProcess.Flatten(streamed["assignments"]));

        var (code, _, stderr) = DistalProcess.Run("kmeans", "--clusters", "6", "--out-of-core", first);
        Assert.Equal(2, code);
        Assert.Contains("--centroids", stderr);
    }

    [Fact]
    public void Kmeans_errors_are_one_line_with_a_usage_exit_code()
    {
        string data = SharedData.PathOf("kmeans_dense.csv");
        var (code, stdout, stderr) = DistalProcess.Run("kmeans", "--clusters", "10001", data);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("10001 clusters", stderr);
        Assert.DoesNotContain("   at ", stderr);
        (code, _, stderr) = DistalProcess.Run("kmeans-init", "--clusters", "3", "--method", "kmeans||", data);
        Assert.NotEqual(0, code);
        Assert.Contains("--method", stderr);
    }

    [Fact]
    public void Benchmark_reports_iterations()
    {
        var json = DistalProcess.RunJson("benchmark", "kmeans", "--rows", "3000", "--cols", "4", "--clusters", "3", "--max-iterations", "4", "--init-method", "deterministicDense", "--repeat", "1");
        Assert.Equal("kmeans", json["algorithm"]!.GetValue<string>());
        Assert.Equal(4, json["iterations"]!.GetValue<int>());
        Assert.True(json["medianSeconds"]!.GetValue<double>() > 0);
    }
}
