using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Distal.Tests.Data;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Cli;

/// <summary>`--format table|json` and `--plot` through the real `distal` program: structure, numbers against the JSON, defaults.</summary>
public sealed class OutputCliTests
{
    private static readonly Dictionary<string, string> Terminal = new() { ["DISTAL_STDOUT_IS_TERMINAL"] = "1", ["COLUMNS"] = "200", ["LINES"] = "60" };

    private static readonly string Moments = SharedData.PathOf("covcormoments_dense.csv");

    [Fact]
    public void On_a_terminal_the_default_is_a_table_and_format_json_prints_exactly_the_piped_json()
    {
        string table = Ok(DistalProcess.RunWith(Terminal, "low-order-moments", Moments));
        Assert.StartsWith("low-order moments of 10 columns\n", table, StringComparison.Ordinal);

        string piped = Ok(DistalProcess.Run("low-order-moments", Moments));
        Assert.StartsWith("{", piped, StringComparison.Ordinal);
        Assert.Equal(piped, Ok(DistalProcess.RunWith(Terminal, "low-order-moments", "--format", "json", Moments)));
        Assert.Equal(piped, Ok(DistalProcess.RunWith(new Dictionary<string, string> { ["DISTAL_STDOUT_IS_TERMINAL"] = "0" }, "low-order-moments", Moments)));
    }

    [Fact]
    public void Moments_print_one_row_per_column_with_the_json_values()
    {
        var json = DistalProcess.RunJson("low-order-moments", Moments);
        var rows = Rows(Ok(DistalProcess.RunWith(Terminal, "low-order-moments", "--ranks", "3", Moments)), "low-order moments of 10 columns");
        Assert.Equal(["column", "mean", "std", "variance", "minimum", "maximum", "variation", "sum"], rows[0]);
        Assert.Equal(11, rows.Count);
        string[] keys = ["mean", "standardDeviation", "variance", "minimum", "maximum", "variation", "sum"];
        for (int j = 0; j < 10; j++)
        {
            Assert.Equal($"x{j}", rows[j + 1][0]);
            for (int k = 0; k < keys.Length; k++)
            {
                AssertPrinted(json[keys[k]]![j]!.GetValue<double>(), rows[j + 1][k + 1]);
            }
        }
    }

    [Fact]
    public void Covariance_prints_the_correlation_matrix_and_the_means()
    {
        string text = Ok(DistalProcess.RunWith(Terminal, "covariance", "--output-matrix-type", "correlationMatrix", Moments));
        var matrix = Rows(text, "correlation matrix");
        Assert.Equal(11, matrix.Count);
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal("1.00000", matrix[i + 1][i + 1]);
        }

        Assert.Contains("\ncolumn means\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Pca_prints_each_components_share_and_the_cumulative_share()
    {
        string input = SharedData.PathOf("pca_normalized_1.csv");
        var json = DistalProcess.RunJson("pca", "--do-scale", "false", input);
        var rows = Rows(Ok(DistalProcess.RunWith(Terminal, "pca", "--do-scale", "false", "--components", "3", input)), "principal components");
        Assert.Equal(["component", "eigenvalue", "explained", "cumulative"], rows[0]);
        double[] all = DistalProcess.Flatten(json["eigenvalues"]);
        double total = all.Sum(), cumulative = 0;
        Assert.Equal(4, rows.Count);
        for (int i = 0; i < 3; i++)
        {
            cumulative += all[i] / total;
            Assert.Equal($"PC{i + 1}", rows[i + 1][0]);
            AssertPrinted(all[i], rows[i + 1][1]);
            Assert.Equal((100 * all[i] / total).ToString("0.00", CultureInfo.InvariantCulture) + "%", rows[i + 1][2]);
            Assert.Equal((100 * cumulative).ToString("0.00", CultureInfo.InvariantCulture) + "%", rows[i + 1][3]);
        }
    }

    [Fact]
    public void Svd_qr_kmeans_init_and_pca_transform_print_their_results()
    {
        string svd = Ok(DistalProcess.RunWith(Terminal, "svd", SharedData.PathOf("svd_1.csv")));
        var values = Rows(svd, "singular values");
        var json = DistalProcess.RunJson("svd", SharedData.PathOf("svd_1.csv"));
        AssertPrinted(json["singularValues"]![0]!.GetValue<double>(), values[1][1]);
        Assert.Contains("\nright singular vectors Vᵀ (one row per singular value)\n", svd, StringComparison.Ordinal);

        var r = Rows(Ok(DistalProcess.RunWith(Terminal, "qr", "--ranks", "2", SharedData.PathOf("qr_1.csv"))), "R (upper triangular)");
        Assert.Equal(r[0].Length + 1, r.Count); // p column headers; p rows plus the header

        var centroids = Rows(Ok(DistalProcess.RunWith(Terminal, "kmeans-init", "--clusters", "4", SharedData.PathOf("kmeans_dense.csv"))), "initial centroids");
        Assert.Equal(5, centroids.Count);

        using var directory = new TempDirectory();
        string model = directory.File("pca.json");
        Ok(DistalProcess.Run("pca", "--model-output", model, SharedData.PathOf("pca_normalized_1.csv")));
        var facts = Rows(Ok(DistalProcess.RunWith(Terminal, "pca-transform", "--model", model, "--components", "2", SharedData.PathOf("pca_normalized_1.csv"))), "PCA transform");
        Assert.Equal(["rows", "250"], facts[1]);
        Assert.Equal(["components", "2"], facts[2]);
    }

    [Fact]
    public void Regression_prints_coefficients_and_r_squared_on_the_training_rows()
    {
        using var directory = new TempDirectory();
        string[] parts = [.. Enumerable.Range(1, 2).Select(i => SharedData.PathOf($"linear_regression_train_{i}.csv"))];
        string model = directory.File("model.json");
        var json = DistalProcess.RunJson(["linear-regression-training", "--responses", "2", "--ranks", "2", .. parts]);
        string text = Ok(DistalProcess.RunWith(Terminal, ["linear-regression-training", "--responses", "2", "--ranks", "2", "--model-output", model, .. parts]));
        var coefficients = Rows(text, "coefficients");
        Assert.Equal(["term", "response", "0", "response", "1"], coefficients[0]);
        Assert.Equal("intercept", coefficients[1][0]);
        Assert.Equal(12, coefficients.Count);

        // R² computed here from the printed JSON's beta and the rows, in decimal (independent of the CLI's doubles).
        var beta = json["beta"]!.AsArray().Select(b => DistalProcess.Flatten(b)).ToArray();
        var data = parts.SelectMany(p => SharedData.ReadReference(Path.GetRelativePath(SharedData.Directory, p))).ToArray();
        var fit = Rows(text, "fit on the training data (500 rows)");
        for (int r = 0; r < 2; r++)
        {
            decimal mean = data.Sum(row => (decimal)row[10 + r]) / data.Length;
            decimal residual = 0, centered = 0;
            foreach (var row in data)
            {
                decimal predicted = (decimal)beta[r][0];
                for (int j = 0; j < 10; j++)
                {
                    predicted += (decimal)beta[r][j + 1] * (decimal)row[j];
                }

                residual += ((decimal)row[10 + r] - predicted) * ((decimal)row[10 + r] - predicted);
                centered += ((decimal)row[10 + r] - mean) * ((decimal)row[10 + r] - mean);
            }

            Assert.Equal($"response {r}", string.Join(' ', fit[r + 1][..2]));
            Assert.Equal((1 - (double)(residual / centered)).ToString("0.000000", CultureInfo.InvariantCulture), fit[r + 1][2]);
        }

        var prediction = Ok(DistalProcess.RunWith(Terminal, "linear-regression-prediction", "--model", model, "--responses", "2", parts[0]));
        Assert.StartsWith("prediction (250 rows)\n", prediction, StringComparison.Ordinal);
    }

    [Fact]
    public void Naive_bayes_prints_the_class_counts_of_the_training_labels()
    {
        string labels = SharedData.PathOf("naivebayes_train_labels.csv");
        var rows = Rows(Ok(DistalProcess.RunWith(Terminal, "multinomial-naive-bayes-training", "--classes", "20", "--ranks", "2", "--labels", labels, SharedData.PathOf("naivebayes_train_dense.csv"))), "multinomial naive Bayes: 20 classes, 8,000 training rows");
        var counts = File.ReadLines(labels).Where(l => l.Trim().Length > 0).GroupBy(l => (int)double.Parse(l.Trim().TrimEnd(','), CultureInfo.InvariantCulture)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(21, rows.Count);
        for (int c = 0; c < 20; c++)
        {
            Assert.Equal(c.ToString(CultureInfo.InvariantCulture), rows[c + 1][0]);
            Assert.Equal(counts[c].ToString("N0", CultureInfo.InvariantCulture), rows[c + 1][1]);
            Assert.Equal("0.0500000", rows[c + 1][3]);
        }
    }

    [Fact]
    public void Kmeans_prints_the_cluster_sizes_of_its_assignments_and_the_objective()
    {
        string input = SharedData.PathOf("kmeans_dense.csv");
        var json = DistalProcess.RunJson("kmeans", "--clusters", "4", "--ranks", "3", input);
        string text = Ok(DistalProcess.RunWith(Terminal, "kmeans", "--clusters", "4", "--ranks", "2", input));
        var facts = Rows(text, "k-means (Lloyd)");
        Assert.Equal(["objective", "function", json["objectiveFunction"]!.GetValue<double>().ToString("G10", CultureInfo.InvariantCulture)], facts[3]);
        var sizes = json["assignments"]!.AsArray().GroupBy(a => a!.GetValue<int>()).ToDictionary(g => g.Key, g => g.Count());
        var clusters = Rows(text, "clusters: sizes and centroids");
        for (int c = 0; c < 4; c++)
        {
            Assert.Equal(sizes[c].ToString("N0", CultureInfo.InvariantCulture), clusters[c + 1][1]);
        }
    }

    [Fact]
    public void With_output_the_json_goes_to_the_file_and_the_table_to_stdout()
    {
        using var directory = new TempDirectory();
        string output = directory.File("moments.json");
        string text = Ok(DistalProcess.Run("low-order-moments", "--format", "table", "--output", output, Moments));
        Assert.StartsWith("low-order moments of 10 columns\n", text, StringComparison.Ordinal);
        Assert.Equal(Ok(DistalProcess.Run("low-order-moments", Moments)), File.ReadAllText(output));
    }

    [Fact]
    public void Pca_draws_a_scree_plot_as_png_and_as_svg_with_one_bar_per_component()
    {
        using var directory = new TempDirectory();
        string png = directory.File("scree.png"), svg = directory.File("scree.svg");
        string input = SharedData.PathOf("pca_normalized_1.csv");
        var (code, stdout, stderr) = DistalProcess.Run("pca", "--plot", png, input);
        Assert.True(code == 0, stderr);
        Assert.StartsWith("{", stdout, StringComparison.Ordinal); // the JSON is unchanged by --plot
        AssertPng(png, 860, 560);
        Ok(DistalProcess.Run("pca", "--components", "3", "--plot", svg, input));
        Assert.Equal(3, Count(File.ReadAllText(svg), "class=\"bar\""));
    }

    [Fact]
    public void Kmeans_draws_a_bounded_sample_and_every_centroid()
    {
        using var directory = new TempDirectory();
        string svg = directory.File("clusters.svg"), png = directory.File("clusters.png");
        Ok(DistalProcess.Run("kmeans", "--clusters", "5", "--ranks", "3", "--plot", svg, SharedData.PathOf("kmeans_dense.csv")));
        string text = File.ReadAllText(svg);
        Assert.Equal(5, Count(text, "class=\"centroid\""));
        Assert.Equal(5000, Count(text, "class=\"point\"")); // 10 000 rows, every 2nd
        Assert.Contains(">5,000 of 10,000 rows (one row in 2)<", text, StringComparison.Ordinal);
        Ok(DistalProcess.Run("kmeans", "--clusters", "5", "--plot", png, SharedData.PathOf("kmeans_dense.csv")));
        AssertPng(png, 860, 560);
    }

    [Fact]
    public void Covariance_draws_a_heat_map_with_one_cell_per_entry()
    {
        using var directory = new TempDirectory();
        string svg = directory.File("heat.svg"), png = directory.File("heat.png");
        Ok(DistalProcess.Run("covariance", "--plot", svg, Moments));
        Assert.Equal(100, Count(File.ReadAllText(svg), "class=\"cell\""));
        Ok(DistalProcess.Run("covariance", "--output-matrix-type", "correlationMatrix", "--plot", png, Moments));
        AssertPng(png, 720, 640);
    }

    [Fact]
    public void Regression_draws_predicted_against_actual_for_every_sampled_row_and_response()
    {
        using var directory = new TempDirectory();
        string svg = directory.File("fit.svg"), png = directory.File("fit.png");
        string input = SharedData.PathOf("linear_regression_train_1.csv");
        Ok(DistalProcess.Run("ridge-regression-training", "--responses", "2", "--plot", svg, input));
        string text = File.ReadAllText(svg);
        Assert.Equal(500, Count(text, "class=\"point\""));
        Assert.Contains(">y = x<", text, StringComparison.Ordinal);
        Ok(DistalProcess.Run("linear-regression-training", "--responses", "2", "--ranks", "2", "--plot", png, input));
        AssertPng(png, 860, 560);
    }

    [Fact]
    public void Bad_format_and_plot_options_are_usage_errors()
    {
        foreach (string[] arguments in (string[][])[
            ["svd", "--plot", "a.png", Moments],
            ["pca", "--plot", "a.jpg", Moments],
            ["pca", "--format", "xml", Moments],
            ["kmeans", "--clusters", "3", "--out-of-core", "--centroids", Moments, "--plot", "a.png", Moments]])
        {
            var (code, stdout, stderr) = DistalProcess.Run(arguments);
            Assert.Equal(2, code);
            Assert.Equal("", stdout);
            Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("distal: ", stderr, StringComparison.Ordinal);
        }
    }

    private static string Ok((int ExitCode, string Stdout, string Stderr) run)
    {
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}");
        return run.Stdout;
    }

    /// <summary>The cells of the table titled <paramref name="title"/>: its header, then its rows (the rule skipped).</summary>
    private static List<string[]> Rows(string text, string title)
    {
        var lines = text.Split('\n');
        int start = Array.IndexOf(lines, title);
        Assert.True(start >= 0, $"no table '{title}' in:\n{text}");
        var rows = new List<string[]>();
        for (int i = start + 1; i < lines.Length && lines[i].Length > 0 && !lines[i].StartsWith('('); i++)
        {
            if (!lines[i].StartsWith('─'))
            {
                rows.Add(Regex.Split(lines[i].Trim(), " +"));
            }
        }

        return rows;
    }

    /// <summary>A printed number is the value to the digits printed (six significant digits for the column's largest).</summary>
    private static void AssertPrinted(double expected, string printed)
    {
        double value = double.Parse(printed, CultureInfo.InvariantCulture);
        int decimals = printed.Contains('.', StringComparison.Ordinal) && !printed.Contains('e', StringComparison.Ordinal) ? printed.Length - printed.IndexOf('.', StringComparison.Ordinal) - 1 : 0;
        double step = printed.Contains('e', StringComparison.Ordinal) ? Math.Abs(expected) * 1e-5 : Math.Pow(10, -decimals);
        Assert.True(Math.Abs(value - expected) <= step / 2 * (1 + 1e-9), $"printed {printed} for {expected}");
    }

    private static void AssertPng(string path, int width, int height)
    {
        byte[] png = File.ReadAllBytes(path);
        Assert.InRange(png.Length, 5_000, 2_000_000);
        var chunks = OutputRenderingTests.PngChunks(png);
        Assert.Equal("IHDR", chunks[0].Type);
        Assert.Equal(width, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(chunks[0].Data));
        Assert.Equal(height, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(chunks[0].Data.AsSpan(4)));
        Assert.Equal("IEND", chunks[^1].Type);
    }

    private static int Count(string text, string what) => Regex.Matches(text, Regex.Escape(what)).Count;
}
