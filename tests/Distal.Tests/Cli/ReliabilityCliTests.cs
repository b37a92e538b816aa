using Distal.Data;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Cli;

/// <summary>
/// The CLI's promises for bad input and bad usage (one line on stderr, exit 1 or 2, never a stack trace) and for
/// outputs (checked before the computation, never half-written, no stale per-rank files). docs/reliability.md lists them.
/// </summary>
public sealed class ReliabilityCliTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("distal-reliability-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Data => SharedData.PathOf("covcormoments_dense.csv");

    private static string KMeansData => SharedData.PathOf("kmeans_dense.csv");

    private string PathOf(string name) => Path.Combine(_directory, name);

    /// <summary>Asserts exit <paramref name="code"/>, nothing on stdout and exactly one stderr line starting with <paramref name="start"/>.</summary>
    private static void AssertOneLine(int code, string start, (int Code, string Stdout, string Stderr) run)
    {
        Assert.True(code == run.Code, $"exit {run.Code}, expected {code}: {run.Stderr}");
        Assert.Equal("", run.Stdout);
        string[] lines = run.Stderr.TrimEnd('\n').Split('\n');
        Assert.Single(lines);
        Assert.StartsWith(start, lines[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void An_unknown_option_is_reported_as_one(int ranks)
        => AssertOneLine(2, "distal: unknown option '--bogus'", DistalProcess.Run("covariance", "--ranks", $"{ranks}", "--bogus", Data));

    [Theory]
    [InlineData("--chunk-rows", "0", "distal: --chunk-rows must be at least 1, not 0")]
    [InlineData("--chunk-rows", "-5", "distal: --chunk-rows must be at least 1, not -5")]
    [InlineData("--ranks", "5000", "distal: --ranks must be between 1 and 4096, not 5000")]
    [InlineData("--output", "", "distal: --output needs a path, not an empty string")]
    [InlineData("--local-output-dir", "", "distal: --local-output-dir needs a path, not an empty string")]
    [InlineData("--timeout", "0", "distal: --timeout must be a positive number of seconds")]
    [InlineData("--timeout", "soon", "distal: --timeout must be a positive number of seconds")]
    [InlineData("--n-trials", "1000000000", "distal: nTrials must be between 1 and 1000")]
    public void Bad_option_values_are_usage_errors(string option, string value, string message)
        => AssertOneLine(2, message, DistalProcess.Run("kmeans", "--clusters", "3", "--init-method", "plusPlusDense", option, value, KMeansData));

    [Theory]
    [InlineData("DISTAL_BLAS", "openblsa", "distal: DISTAL_BLAS='openblsa' is not a known backend")]
    [InlineData("DISTAL_SIMD", "257", "distal: DISTAL_SIMD='257' is not one of scalar, 128, 256, 512")]
    [InlineData("DISTAL_TIMEOUT", "-3", "distal: DISTAL_TIMEOUT must be a positive number of seconds")]
    public void Typos_in_environment_switches_are_usage_errors(string variable, string value, string message)
    {
        var environment = new Dictionary<string, string> { [variable] = value };
        AssertOneLine(2, message, DistalProcess.RunWith(environment, "covariance", Data));

        // On several ranks the same line, with the rank prefix where the switch is read inside the world.
        var many = DistalProcess.RunWith(environment, "covariance", "--ranks", "2", Data);
        Assert.Equal(2, many.ExitCode);
        Assert.Contains(message["distal: ".Length..], many.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Npy_input_with_nan_gives_one_line_and_exit_1()
    {
        var values = Enumerable.Range(0, 12).Select(i => (double)i).ToArray();
        values[7] = double.NaN;
        string path = PathOf("nan.npy");
        DataFile.WriteNpy(path, Table.FromArray(values, 4, 3));
        AssertOneLine(1, $"distal: {path}:3:2: NaN is not a finite number", DistalProcess.Run("covariance", path));
    }

    [Fact]
    public void Float64_npy_values_beyond_float_are_refused_under_fptype_float()
    {
        var values = Enumerable.Range(0, 12).Select(i => (double)i).ToArray();
        values[4] = 1e39;
        string path = PathOf("big.npy");
        DataFile.WriteNpy(path, Table.FromArray(values, 4, 3));
        AssertOneLine(1, $"distal: {path}:2:2: 1E+39 does not fit in float", DistalProcess.Run("covariance", "--fptype", "float", path));
    }

    [Fact]
    public void A_binary_file_is_quoted_as_a_short_printable_excerpt()
    {
        string path = PathOf("binary.csv");
        File.WriteAllBytes(path, [0x7F, (byte)'E', (byte)'L', (byte)'F', 0x1B, (byte)'[', (byte)'2', (byte)'J', .. Enumerable.Repeat((byte)0, 200), (byte)'\n']);
        var run = DistalProcess.Run("covariance", path);
        AssertOneLine(1, $"distal: {path}:1:1: '\\x7FELF\\x1B[2J\\x00", run);
        Assert.DoesNotContain('\u001B', run.Stderr);
        Assert.True(run.Stderr.Length < 400, run.Stderr);
    }

    [Fact]
    public void Overflowing_statistics_name_the_column_with_exit_1_on_one_rank_and_on_many()
    {
        string path = PathOf("huge.csv");
        File.WriteAllLines(path, Enumerable.Range(0, 20).Select(i => $"{i},{(i % 2 == 0 ? 1 : -1) * (i + 1)}e200"));
        AssertOneLine(1, "distal: covariance: the covariance of column 2 is not finite", DistalProcess.Run("covariance", path));
        AssertOneLine(1, "distal: rank 0: covariance: the covariance of column 2 is not finite", DistalProcess.Run("covariance", "--ranks", "3", path));
    }

    [Theory]
    [InlineData("[1, 2]", "a model is a JSON object, not a list")]
    [InlineData("{\"centroids\": 5}", "\"centroids\" must be a non-empty array of rows, not a number")]
    [InlineData("{\"centroids\": [[1, 2, 3], null]}", "\"centroids\" must be an array of numbers, not null")]
    [InlineData("{\"centroids\": [[1, null, 3]]}", "\"centroids\" must be numbers, not null")]
    public void Bad_centroid_json_is_exit_1(string json, string message)
    {
        string path = PathOf("centroids.json");
        File.WriteAllText(path, json);
        AssertOneLine(1, $"distal: rank 0: {path}: {message}", DistalProcess.Run("kmeans", "--clusters", "3", "--ranks", "2", "--centroids", path, KMeansData));
    }

    [Fact]
    public void Unwritable_outputs_are_reported_before_the_computation()
    {
        AssertOneLine(2, $"distal: {_directory}: is a directory, not a file", DistalProcess.Run("covariance", "--output", _directory, Data));
        AssertOneLine(2, "distal: /nonexistent-distal-dir/out.json: directory not found", DistalProcess.Run("covariance", "--output", "/nonexistent-distal-dir/out.json", Data));
        string file = PathOf("plain-file");
        File.WriteAllText(file, "x");
        var run = DistalProcess.Run("kmeans", "--clusters", "3", "--ranks", "2", "--local-output-dir", file, KMeansData);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"distal: rank 0: {file}: cannot create the directory", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_per_rank_file_that_cannot_be_written_is_one_agreed_error()
    {
        string directory = PathOf("out");
        Directory.CreateDirectory(Path.Combine(directory, "assignments_2.csv"));
        var run = DistalProcess.Run("kmeans", "--clusters", "3", "--ranks", "4", "--local-output-dir", directory, KMeansData);
        AssertOneLine(2, $"distal: rank 2: {Path.Combine(directory, "assignments_2.csv")}: cannot write", run);
    }

    [Fact]
    public void Outputs_replace_old_files_whole_and_stale_per_rank_files_are_removed()
    {
        string directory = PathOf("local");
        Directory.CreateDirectory(directory);
        foreach (int r in (int[])[1, 3, 7])
        {
            File.WriteAllText(Path.Combine(directory, $"assignments_{r}.csv"), "stale\n");
        }

        File.WriteAllText(Path.Combine(directory, "other_9.csv"), "kept\n");
        string output = PathOf("result.json");
        File.WriteAllText(output, "old result");
        var run = DistalProcess.Run("kmeans", "--clusters", "3", "--ranks", "2", "--local-output-dir", directory, "--output", output, KMeansData);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("removed", run.Stderr, StringComparison.Ordinal);
        string[] names = Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        Assert.Equal(["assignments_0.csv", "assignments_1.csv", "other_9.csv"], names);
        Assert.NotEqual("stale\n", File.ReadAllText(Path.Combine(directory, "assignments_1.csv")));
        Assert.StartsWith("{", File.ReadAllText(output), StringComparison.Ordinal);

        // No temporary file is left next to the outputs.
        Assert.Empty(Directory.GetFiles(_directory, ".*.tmp"));
        Assert.Empty(Directory.GetFiles(directory, ".*.tmp"));
    }

    [Fact]
    public void A_pipe_as_input_is_read_on_one_rank_or_many()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // Covariance of (1,2), (3,5), (4,4), (6,1): [[13/3, −1], [−1, 10/3]], the same however the rows are shared.
        const string Rows = "1,2\n3,5\n4,4\n6,1\n";
        foreach (string ranks in new[] { "1", "3" })
        {
            string fifo = PathOf($"fifo{ranks}");
            var writer = Fifo.CreateWithWriter(fifo, Rows);
            var json = DistalProcess.RunJson("covariance", "--ranks", ranks, fifo);
            Assert.Equal([13.0 / 3, -1, -1, 10.0 / 3], DistalProcess.Flatten(json["covariance"]));
            Assert.True(writer.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));

            var run = DistalProcess.RunWithInput(Rows, "covariance", "--ranks", ranks, "-");
            Assert.True(run.ExitCode == 0, run.Stderr);
            Assert.Equal([13.0 / 3, -1, -1, 10.0 / 3], DistalProcess.Flatten(System.Text.Json.Nodes.JsonNode.Parse(run.Stdout)!["covariance"]));
        }
    }

    [Fact]
    public void A_pipe_that_must_be_read_by_offsets_is_one_clear_line()
    {
        // Out-of-core chunks are read at offsets per rank.
        AssertOneLine(1, "distal: -: not a regular file (a pipe or a terminal?): only CSV read whole can come from a pipe", DistalProcess.RunWithInput("1,2\n3,4\n", "covariance", "--chunk-rows", "1", "-"));

        // A bad field in piped CSV is the usual input error, the same on every rank.
        AssertOneLine(1, "distal: rank 0: -:2:3: 'x' is not a finite number", DistalProcess.RunWithInput("1,2\n3,x\n", "covariance", "--ranks", "2", "-"));
    }

    [Fact]
    public void The_collective_timeout_turns_nothing_into_an_error_when_ranks_are_healthy()
    {
        var json = DistalProcess.RunJson("covariance", "--ranks", "3", "--timeout", "60", Data);
        Assert.NotNull(json["covariance"]);
    }
}
