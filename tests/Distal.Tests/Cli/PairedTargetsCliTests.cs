using Distal.Tests.Data;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Cli;

/// <summary>
/// One INPUT file split across ranks with one `--dependent` file: every rank trains on its rows and the dependent rows
/// that match them, in memory and under `--chunk-rows`, in CSV and the binary formats, to the one-rank and the
/// one-file-per-rank result (≤ 1e-12 relative per entry); files of different lengths are one line naming both, exit 1.
/// A streamed training prints R² (from a second pass, announced) and draws the plot, as in memory.
/// </summary>
public sealed class PairedTargetsCliTests : IDisposable
{
    private static readonly Dictionary<string, string> Terminal = new() { ["DISTAL_STDOUT_IS_TERMINAL"] = "1", ["COLUMNS"] = "200", ["LINES"] = "60" };

    private readonly TempDirectory _directory = new();

    public PairedTargetsCliTests()
    {
        DataFile.Register(Distal.Parquet.ParquetFormat.Instance);
        DataFile.Register(Distal.Arrow.ArrowFormat.Instance);
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>n × 4 features far from zero and n × 2 responses of order-1 coefficients plus noise (well conditioned).</summary>
    private static (Table<double> X, Table<double> Y) Regression(int rows, int seed)
    {
        var random = new Random(seed);
        var x = Table<double>.Create(rows, 4);
        var y = Table<double>.Create(rows, 2);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < 4; c++)
            {
                x[r, c] = (c + 1) * (random.NextDouble() - 0.5) + 2;
            }

            y[r, 0] = 3 + x[r, 0] - (2 * x[r, 1]) + (0.5 * x[r, 2]) + x[r, 3] + (0.1 * random.NextDouble());
            y[r, 1] = -1 + (2 * x[r, 0]) + x[r, 1] - x[r, 2] + (1.5 * x[r, 3]) + (0.1 * random.NextDouble());
        }

        return (x, y);
    }

    private string Write(string name, Table<double> table)
    {
        string path = _directory.File(name);
        DataFile.FormatOf(path).Write(path, table);
        return path;
    }

    private static double[] Beta(params string[] arguments) => DistalProcess.Flatten(DistalProcess.RunJson(arguments)["beta"]);

    [Theory]
    [InlineData("linear-regression-training", "csv", "csv", "2,3,8")]
    [InlineData("ridge-regression-training", "npy", "csv", "3")]
    [InlineData("linear-regression-training", "csv", "npy", "5")]
    [InlineData("linear-regression-training", "parquet", "csv", "4")]
    [InlineData("ridge-regression-training", "csv", "arrow", "3")]
    public void One_dependent_file_for_one_split_input_trains_the_one_rank_model(string command, string xFormat, string yFormat, string rankList)
    {
        var (x, y) = Regression(1001, 3);
        string xPath = Write($"x.{xFormat}", x);
        string yPath = Write($"y.{yFormat}", y);
        double[] reference = Beta(command, xPath, "--dependent", yPath);
        if (xFormat == "csv" && yFormat == "csv")
        {
            // One file per rank, unevenly split, as daal4py's examples give them.
            string[] xs = [Write("x0.csv", x.SliceRows(0, 400)), Write("x1.csv", x.SliceRows(400, 1)), Write("x2.csv", x.SliceRows(401, 600))];
            string[] ys = [Write("y0.csv", y.SliceRows(0, 400)), Write("y1.csv", y.SliceRows(400, 1)), Write("y2.csv", y.SliceRows(401, 600))];
            Compare.Relative(reference, Beta(command, "--ranks", "3", xs[0], xs[1], xs[2], "--dependent", ys[0], ys[1], ys[2]), 1e-12, what: "one file per rank");
        }

        foreach (string ranks in rankList.Split(','))
        {
            Compare.Relative(reference, Beta(command, "--ranks", ranks, xPath, "--dependent", yPath), 1e-12, what: $"{ranks} ranks in memory");
            Compare.Relative(reference, Beta(command, "--ranks", ranks, "--chunk-rows", "97", xPath, "--dependent", yPath), 1e-12, what: $"{ranks} ranks streamed");
        }
    }

    [Fact]
    public void More_ranks_than_rows_leave_ranks_without_rows_and_train_the_same_model()
    {
        var (x, y) = Regression(6, 8);
        string xPath = Write("x.csv", x);
        string yPath = Write("y.npy", y);
        double[] reference = Beta("linear-regression-training", xPath, "--dependent", yPath);
        Compare.Relative(reference, Beta("linear-regression-training", "--ranks", "8", xPath, "--dependent", yPath), 1e-12, what: "in memory");
        Compare.Relative(reference, Beta("linear-regression-training", "--ranks", "8", "--chunk-rows", "2", xPath, "--dependent", yPath), 1e-12, what: "streamed");
    }

    [Theory]
    [InlineData(1000, false)]
    [InlineData(1002, false)]
    [InlineData(1000, true)]
    [InlineData(1002, true)]
    public void A_dependent_file_of_another_length_is_one_line_naming_both_files_and_exit_1(int yRows, bool streamed)
    {
        var (x, _) = Regression(1001, 4);
        var (_, y) = Regression(yRows, 4);
        string xPath = Write("x.csv", x);
        string yPath = Write("y.csv", y);
        string[] chunk = streamed ? ["--chunk-rows", "100"] : [];
        var (code, stdout, stderr) = DistalProcess.Run(["linear-regression-training", "--ranks", "3", .. chunk, xPath, "--dependent", yPath]);
        Assert.Equal(1, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains($"{yPath}: {yRows} rows for the 1001 rows of {xPath}", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_streamed_training_prints_the_in_memory_fit_after_an_announced_second_pass_and_draws_the_plot()
    {
        var (x, y) = Regression(1001, 5);
        string xPath = Write("x.csv", x);
        string yPath = Write("y.npy", y);
        string plot = _directory.File("fit.svg");
        string[] common = ["linear-regression-training", "--ranks", "3", xPath, "--dependent", yPath];
        var inMemory = DistalProcess.RunWith(Terminal, common);
        var streamed = DistalProcess.RunWith(Terminal, [.. common, "--chunk-rows", "97", "--plot", plot]);
        Assert.Equal(0, inMemory.ExitCode);
        Assert.Equal(0, streamed.ExitCode);
        string Fit(string text) => text[text.IndexOf("fit on the training data (1,001 rows)", StringComparison.Ordinal)..];
        Assert.Contains("R²", Fit(streamed.Stdout), StringComparison.Ordinal);
        Assert.Equal(Fit(inMemory.Stdout), Fit(streamed.Stdout));
        Assert.Contains("R² on the training rows needs the rows again: reading the input a second time (--chunk-rows)", streamed.Stderr, StringComparison.Ordinal);
        Assert.Contains("<svg", File.ReadAllText(plot), StringComparison.Ordinal);

        // JSON only: no second pass.
        var json = DistalProcess.Run([.. common, "--chunk-rows", "97"]);
        Assert.Equal(0, json.ExitCode);
        Assert.Equal(string.Empty, json.Stderr);
    }
}
