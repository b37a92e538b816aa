using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Cli;

public sealed class CliContractTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("distal-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Covariance_on_four_ranks_of_the_four_way_split_prints_the_reference()
    {
        string[] parts = SplitUpstream("covcormoments_dense.csv", 4);
        var json = DistalProcess.RunJson(["covariance", "--ranks", "4", .. parts]);
        var expected = SharedData.ReadReference("expected/covariance.csv").SelectMany(r => r).ToArray();
        Compare.MatrixNorm(expected, DistalProcess.Flatten(json["covariance"]), 1e-6, "covariance");
        Assert.Equal(10, json["mean"]!.AsArray().Count);
    }

    [Fact]
    public void One_file_is_split_across_ranks_and_output_goes_to_a_file()
    {
        string output = Path.Combine(_directory, "moments.json");
        var (code, stdout, stderr) = DistalProcess.Run("low-order-moments", "--ranks", "3", "--output", output, SharedData.PathOf("covcormoments_dense.csv"));
        Assert.True(code == 0, stderr);
        Assert.Equal("", stdout.Trim());
        var json = JsonNode.Parse(File.ReadAllText(output))!.AsObject();
        string[] keys = ["minimum", "maximum", "sum", "sumSquares", "sumSquaresCentered", "mean", "secondOrderRawMoment", "variance", "standardDeviation", "variation"];
        Assert.Equal(keys, json.Select(p => p.Key).ToArray());
        var expected = SharedData.ReadReference("expected/low_order_moms_dense.csv");
        for (int k = 0; k < keys.Length; k++)
        {
            Compare.Relative(expected[k], DistalProcess.Flatten(json[keys[k]]), 1e-6, what: keys[k]);
        }
    }

    [Fact]
    public void Daal4py_option_values_are_accepted()
    {
        var json = DistalProcess.RunJson("covariance", "--output-matrix-type", "correlationMatrix", "--fptype", "float", SharedData.PathOf("covcormoments_dense.csv"));
        var correlation = DistalProcess.Flatten(json["correlation"]);
        Assert.Equal(1.0, correlation[0], 12);
        var moments = DistalProcess.RunJson("low-order-moments", "--estimates-to-compute", "estimatesMinMax", "--method", "singlePassDense", SharedData.PathOf("covcormoments_dense.csv"));
        Assert.Equal(["minimum", "maximum"], moments.Select(p => p.Key).ToArray());
    }

    [Fact]
    public void A_bad_row_gives_one_line_naming_file_line_and_column()
    {
        string bad = Write("bad.csv", "1,2,3\n4,5,6\n7,x8,9\n");
        var (code, stdout, stderr) = DistalProcess.Run("covariance", bad);
        Assert.NotEqual(0, code);
        Assert.Equal("", stdout);
        Assert.Equal($"distal: {bad}:3:3: 'x8' is not a finite number", stderr.Trim());
    }

    [Fact]
    public void A_ragged_row_on_one_rank_fails_the_run_with_the_rank_named()
    {
        string good = Write("good.csv", "1,2\n3,4\n");
        string ragged = Write("ragged.csv", "1,2\n3,4,5\n");
        var (code, _, stderr) = DistalProcess.Run("low-order-moments", "--ranks", "3", good, good, ragged);
        Assert.Equal(1, code);
        Assert.Equal($"distal: rank 2: {ragged}:2:5: expected 2 fields, found 3", stderr.Trim());
    }

    [Fact]
    public void Missing_file_and_usage_errors_exit_non_zero_without_a_stack_trace()
    {
        var missing = DistalProcess.Run("covariance", "--ranks", "2", SharedData.PathOf("covcormoments_dense.csv"), "/no/such/file.csv");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("distal: rank 1: /no/such/file.csv: file not found", missing.Stderr.Trim());

        var tooMany = DistalProcess.Run("covariance", "--ranks", "2", "a.csv", "b.csv", "c.csv");
        Assert.Equal(2, tooMany.ExitCode);
        Assert.DoesNotContain(" at ", tooMany.Stderr, StringComparison.Ordinal);

        var badChoice = DistalProcess.Run("covariance", "--output-matrix-type", "nope", "a.csv");
        Assert.Equal(2, badChoice.ExitCode);
        Assert.Equal("", badChoice.Stdout);
        Assert.Equal(
            "distal: --output-matrix-type: 'nope' is not one of covarianceMatrix, correlationMatrix (see distal covariance --help)",
            badChoice.Stderr.Trim());

        var missingRequired = DistalProcess.Run("benchmark", "kmeans", "--rows", "100", "--cols", "2");
        Assert.Equal(2, missingRequired.ExitCode);
        Assert.StartsWith("distal: ", Assert.Single(missingRequired.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Contains("--clusters", missingRequired.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Benchmark_prints_the_timing_json()
    {
        var json = DistalProcess.RunJson("benchmark", "covariance", "--rows", "20000", "--cols", "8", "--ranks", "2", "--repeat", "3");
        Assert.Equal("covariance", json["algorithm"]!.GetValue<string>());
        Assert.Equal(20000, json["rows"]!.GetValue<int>());
        Assert.Equal(8, json["cols"]!.GetValue<int>());
        Assert.Equal(2, json["ranks"]!.GetValue<int>());
        Assert.InRange(json["medianSeconds"]!.GetValue<double>(), 1e-7, 60);
    }

    [Fact]
    public void Paced_benchmark_times_one_run_per_input_line()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { Path.Combine(AppContext.BaseDirectory, "Distal.Cli.dll"), "benchmark", "kmeans", "--rows", "2000", "--cols", "3", "--clusters", "2", "--ranks", "2", "--paced" })
        {
            start.ArgumentList.Add(a);
        }

        foreach (string variable in new[] { "OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMI_RANK", "HYDI_CONTROL_FD", "MPI_LOCALNRANKS" })
        {
            start.Environment.Remove(variable);
        }

        using var process = Process.Start(start)!;
        var first = JsonNode.Parse(process.StandardOutput.ReadLine()!)!.AsObject();
        Assert.InRange(first["warmupSeconds"]!.GetValue<double>(), 1e-7, 60);
        Assert.True(first["iterations"]!.GetValue<int>() >= 1);
        for (int run = 0; run < 3; run++)
        {
            process.StandardInput.WriteLine("run");
            process.StandardInput.Flush();
            var line = JsonNode.Parse(process.StandardOutput.ReadLine()!)!.AsObject();
            Assert.InRange(line["seconds"]!.GetValue<double>(), 1e-7, 60);
            Assert.True(line["cpuSeconds"]!.GetValue<double>() >= 0);
        }

        process.StandardInput.Close();
        var summary = JsonNode.Parse(process.StandardOutput.ReadToEnd())!.AsObject();
        Assert.True(process.WaitForExit(60_000));
        Assert.Equal(0, process.ExitCode);
        Assert.Equal(3, summary["runs"]!.GetValue<int>());
        Assert.Equal(2, summary["ranks"]!.GetValue<int>());
    }

    private string[] SplitUpstream(string file, int parts)
    {
        var lines = File.ReadAllLines(SharedData.PathOf(file)).Where(l => l.Trim().Length > 0).ToArray();
        var counts = Ranks.UpstreamCounts(lines.Length, parts);
        var paths = new string[parts];
        int start = 0;
        for (int r = 0; r < parts; r++)
        {
            paths[r] = Write(string.Create(CultureInfo.InvariantCulture, $"part{r}.csv"), string.Join('\n', lines.Skip(start).Take(counts[r])) + "\n");
            start += counts[r];
        }

        return paths;
    }

    private string Write(string name, string content)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
