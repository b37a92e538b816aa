using Distal.Data;
using Distal.Tests.Data;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Cli;

/// <summary>
/// Training out of core from the CLI: regression and naive Bayes stream the data and its targets together in
/// row-aligned chunks, and Lloyd re-reads the rows every iteration, with the in-memory run's result (≤ 1e-12 relative
/// per entry; naive Bayes bit for bit, its counts being exact in double).
/// </summary>
public sealed class OutOfCoreTrainingCliTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    /// <summary>
    /// n × (4 + 2): features far from zero with distinct scales, two responses with coefficients of order 1 plus noise
    /// and an intercept — no coefficient is a near-cancellation, so two summation orders agree per entry to ~1e-14.
    /// </summary>
    private string WriteRegression(string name, int rows, int seed)
    {
        var random = new Random(seed);
        var table = Table<double>.Create(rows, 6);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < 4; c++)
            {
                table[r, c] = (c + 1) * (random.NextDouble() - 0.5) + 2;
            }

            table[r, 4] = 3 + table[r, 0] - (2 * table[r, 1]) + (0.5 * table[r, 2]) + table[r, 3] + (0.1 * random.NextDouble());
            table[r, 5] = -1 + (2 * table[r, 0]) + table[r, 1] - table[r, 2] + (1.5 * table[r, 3]) + (0.1 * random.NextDouble());
        }

        string path = _directory.File(name);
        DataFile.FormatOf(path).Write(path, table);
        return path;
    }

    private string Write(string name, Table<double> table)
    {
        string path = _directory.File(name);
        DataFile.FormatOf(path).Write(path, table);
        return path;
    }

    private static Table<double> Columns(Table<double> table, int start, int count)
    {
        var result = Table<double>.Create(table.Rows, count);
        for (int r = 0; r < table.Rows; r++)
        {
            table.Row(r).Slice(start, count).CopyTo(result.Row(r));
        }

        return result;
    }

    [Theory]
    [InlineData("linear-regression-training", "normEqDense", "1")]
    [InlineData("linear-regression-training", "qrDense", "3")]
    [InlineData("ridge-regression-training", "defaultDense", "3")]
    public void Regression_with_responses_in_the_last_columns_streams_to_the_in_memory_beta(string command, string method, string ranks)
    {
        string path = WriteRegression("xy.csv", 3001, 7);
        double[] inMemory = DistalProcess.Flatten(DistalProcess.RunJson(command, "--responses", "2", "--method", method, "--ranks", ranks, path)["beta"]);
        double[] streamed = DistalProcess.Flatten(DistalProcess.RunJson(command, "--responses", "2", "--method", method, "--ranks", ranks, "--chunk-rows", "97", path)["beta"]);
        Compare.Relative(inMemory, streamed, 1e-12, what: "beta");
    }

    [Fact]
    public void Regression_with_dependent_files_pairs_chunks_of_different_readers_row_for_row()
    {
        // Rank r streams x_r.csv with y_r.npy: CSV chunks are cut near line ends, .npy chunks at exact row counts, so
        // the two readers' chunks differ and every pair is cut from both.
        var whole = DataFile.Read<double>(WriteRegression("xy.csv", 2500, 11));
        string[] x = [Write("x0.csv", Columns(whole.SliceRows(0, 1200), 0, 4)), Write("x1.csv", Columns(whole.SliceRows(1200, 1300), 0, 4))];
        string[] y = [Write("y0.npy", Columns(whole.SliceRows(0, 1200), 4, 2)), Write("y1.npy", Columns(whole.SliceRows(1200, 1300), 4, 2))];
        foreach (string command in new[] { "linear-regression-training", "ridge-regression-training" })
        {
            double[] inMemory = DistalProcess.Flatten(DistalProcess.RunJson(command, "--ranks", "2", x[0], x[1], "--dependent", y[0], y[1])["beta"]);
            double[] streamed = DistalProcess.Flatten(DistalProcess.RunJson(command, "--ranks", "2", "--chunk-rows", "113", x[0], x[1], "--dependent", y[0], y[1])["beta"]);
            Compare.Relative(inMemory, streamed, 1e-12, what: command);
        }

        // The rows really were streamed (the progress line says so, and counts rows).
        var shown = DistalProcess.Run("linear-regression-training", "--progress", "--chunk-rows", "113", x[0], "--dependent", y[0]);
        Assert.Equal(0, shown.ExitCode);
        Assert.Contains("streaming: ", shown.Stderr, StringComparison.Ordinal);
        Assert.Contains("1,200 rows", shown.Stderr, StringComparison.Ordinal);

        // A dependent file shorter than its data file is an input error naming both, on every rank.
        string shortY = Write("short.npy", Columns(whole.SliceRows(0, 1199), 4, 2));
        var (code, stdout, stderr) = DistalProcess.Run("linear-regression-training", "--ranks", "2", "--chunk-rows", "100", x[0], x[1], "--dependent", shortY, y[1]);
        Assert.Equal(1, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("short.npy: 1199 rows for the 1200 rows of", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Naive_bayes_streams_to_the_same_model_bit_for_bit()
    {
        var random = new Random(5);
        var data = Table<double>.Create(1999, 6);
        for (int r = 0; r < data.Rows; r++)
        {
            for (int c = 0; c < 5; c++)
            {
                data[r, c] = random.Next(0, 7);
            }

            data[r, 5] = random.Next(0, 3);
        }

        string labelled = Write("nb.csv", data);
        string[] Model(params string[] arguments)
        {
            var json = DistalProcess.RunJson(["multinomial-naive-bayes-training", "--classes", "3", "--prior", "empirical", .. arguments]);
            return [.. DistalProcess.Flatten(json["logP"]).Concat(DistalProcess.Flatten(json["logTheta"])).Select(v => v.ToString("R"))];
        }

        string[] expected = Model(labelled);
        Assert.Equal(expected, Model("--ranks", "3", "--chunk-rows", "64", labelled));
        Assert.Equal(expected, Model("--ranks", "2", "--chunk-rows", "64", "--fptype", "float", labelled));

        // Labels in their own files, one per rank, read alongside the counts.
        string[] counts = [Write("c0.csv", Columns(data.SliceRows(0, 1000), 0, 5)), Write("c1.csv", Columns(data.SliceRows(1000, 999), 0, 5))];
        string[] labels = [Write("l0.csv", Columns(data.SliceRows(0, 1000), 5, 1)), Write("l1.csv", Columns(data.SliceRows(1000, 999), 5, 1))];
        Assert.Equal(expected, Model("--ranks", "2", "--chunk-rows", "77", counts[0], counts[1], "--labels", labels[0], "--labels", labels[1]));

        // One labels file (.npy) for the counts of one file split across ranks: each rank streams its rows of it.
        string allCounts = Write("c.csv", Columns(data, 0, 5));
        string allLabels = Write("l.npy", Columns(data, 5, 1));
        Assert.Equal(expected, Model("--ranks", "3", "--chunk-rows", "64", allCounts, "--labels", allLabels));
        Assert.Equal(expected, Model("--ranks", "3", allCounts, "--labels", allLabels));

        // A bad label is one input error naming the file and the chunk's rows.
        data[1500, 5] = 7;
        string bad = Write("bad.csv", data);
        var failed = DistalProcess.Run("multinomial-naive-bayes-training", "--classes", "3", "--chunk-rows", "100", bad);
        Assert.Equal(1, failed.ExitCode);
        Assert.StartsWith($"distal: {bad}: rows ", failed.Stderr, StringComparison.Ordinal);
        Assert.Contains("label 7 is outside [0, 2]", failed.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Kmeans_chunk_rows_streams_lloyd_over_a_file_split_across_ranks_and_shows_iterations_on_stderr_only()
    {
        string data = SharedData.PathOf("kmeans_dense.csv");
        string init = _directory.Write("init.csv", string.Join('\n', File.ReadLines(data).Take(6)) + "\n");
        string[] common = ["kmeans", "--clusters", "6", "--max-iterations", "10", "--centroids", init, "--ranks", "3"];
        var inMemory = DistalProcess.RunJson([.. common, data]);
        var streamed = DistalProcess.Run([.. common, "--chunk-rows", "333", "--progress", data]);
        Assert.Equal(0, streamed.ExitCode);
        var json = System.Text.Json.Nodes.JsonNode.Parse(streamed.Stdout)!.AsObject();
        Compare.Relative(DistalProcess.Flatten(inMemory["centroids"]), DistalProcess.Flatten(json["centroids"]), 1e-12, what: "centroids");
        Compare.Relative([inMemory["objectiveFunction"]!.GetValue<double>()], [json["objectiveFunction"]!.GetValue<double>()], 1e-12, what: "objective");
        Assert.Equal(DistalProcess.Flatten(inMemory["assignments"]), DistalProcess.Flatten(json["assignments"]));

        // The progress line carries the iteration and the objective, on stderr; --quiet silences it.
        Assert.Contains("kmeans: iteration ", streamed.Stderr, StringComparison.Ordinal);
        Assert.Contains("objective ", streamed.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("iteration", streamed.Stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, DistalProcess.Run([.. common, "--progress", "--quiet", data]).Stderr);

        var (code, _, stderr) = DistalProcess.Run("kmeans", "--clusters", "6", "--chunk-rows", "100", data);
        Assert.Equal(2, code);
        Assert.Contains("--chunk-rows needs --centroids", stderr, StringComparison.Ordinal);
    }
}
