using System.Globalization;
using System.Text.Json.Nodes;

namespace Distal.Cli.Output;

/// <summary>
/// The human summary (`--format table`) of each command's result: built from the JSON result that `--format json`
/// prints (so both show the same numbers) plus the command's extras (R², cluster sizes, class counts).
/// </summary>
internal static class Summaries
{
    public static void Write(string command, JsonObject result, JsonObject extras, TextWriter writer, Screen screen)
    {
        var tables = command switch
        {
            "low-order-moments" => Moments(result),
            "covariance" => Covariance(result, screen),
            "pca" => Pca(result, extras, screen),
            "pca-transform" => [Facts("PCA transform", ("rows", Count(result["rows"])), ("components", Count(result["components"])))],
            "svd" => Svd(result, screen),
            "qr" => [Matrix("R (upper triangular)", result["matrixR"], "", i => $"r{i}", Column, screen.MatrixRows)],
            "linear-regression-training" or "ridge-regression-training" => Regression(result, extras, screen),
            "linear-regression-prediction" or "ridge-regression-prediction" => [Prediction(result, screen)],
            "multinomial-naive-bayes-training" => NaiveBayesTraining(result, extras),
            "multinomial-naive-bayes-prediction" => NaiveBayesPrediction(result, screen),
            "kmeans-init" => [Matrix("initial centroids", result["centroids"], "cluster", Label, Column, screen.MatrixRows)],
            "kmeans" => KMeans(result, extras, screen),
            _ => throw new InvalidOperationException($"no table summary for {command}"),
        };
        bool first = true;
        foreach (var table in tables)
        {
            if (!first)
            {
                writer.WriteLine();
            }

            table.WriteTo(writer, screen.Width, screen.MatrixRows);
            first = false;
        }
    }

    private static List<TextTable> Moments(JsonObject result)
    {
        (string Key, string Header)[] wanted =
        [
            ("mean", "mean"), ("standardDeviation", "std"), ("variance", "variance"), ("minimum", "minimum"),
            ("maximum", "maximum"), ("variation", "variation"), ("sum", "sum"),
        ];
        var present = wanted.Where(w => result[w.Key] is JsonArray).ToArray();
        var columns = present.Select(w => Vector(result[w.Key])).ToArray();
        int p = columns.Length == 0 ? 0 : columns[0].Length;
        var formats = columns.Select(c => NumberColumn.For(c)).ToArray();
        var table = new TextTable(string.Create(CultureInfo.InvariantCulture, $"low-order moments of {p} columns"), ["column", .. present.Select(w => w.Header)]);
        for (int j = 0; j < p; j++)
        {
            table.Add([Column(j), .. columns.Select((c, k) => formats[k].Format(c[j]))]);
        }

        return [table];
    }

    private static List<TextTable> Covariance(JsonObject result, Screen screen)
    {
        var tables = new List<TextTable>();
        if (result["correlation"] is JsonArray correlation)
        {
            tables.Add(Matrix("correlation matrix", correlation, "", Column, Column, screen.MatrixRows));
        }

        if (result["covariance"] is JsonArray covariance)
        {
            tables.Add(Matrix("covariance matrix", covariance, "", Column, Column, screen.MatrixRows));
        }

        tables.Add(Matrix("column means", new JsonArray(result["mean"]!.DeepClone()), "", _ => "mean", Column, 1));
        return tables;
    }

    private static List<TextTable> Pca(JsonObject result, JsonObject extras, Screen screen)
    {
        double[] eigenvalues = Vector(result["eigenvalues"]);
        double total = extras["totalVariance"]!.GetValue<double>();
        var table = new TextTable("principal components", ["component", "eigenvalue", "explained", "cumulative"]);
        var format = NumberColumn.For(eigenvalues);
        double cumulative = 0;
        for (int i = 0; i < eigenvalues.Length; i++)
        {
            double share = eigenvalues[i] / total;
            cumulative += share;
            table.Add($"PC{i + 1}", format.Format(eigenvalues[i]), Percent(share), Percent(cumulative));
        }

        return [table, Matrix("eigenvectors (one row per component)", result["eigenvectors"], "", i => $"PC{i + 1}", Column, screen.MatrixRows)];
    }

    private static List<TextTable> Svd(JsonObject result, Screen screen)
    {
        double[] s = Vector(result["singularValues"]);
        double energy = s.Sum(v => v * v);
        var format = NumberColumn.For(s);
        var table = new TextTable("singular values", ["index", "singular value", "share of Σs²", "cumulative"]);
        double cumulative = 0;
        foreach (var (v, i) in s.Select((v, i) => (v, i)).Take(screen.MatrixRows))
        {
            cumulative += v * v / energy;
            table.Add($"s{i + 1}", format.Format(v), Percent(v * v / energy), Percent(cumulative));
        }

        var tables = new List<TextTable> { table };
        if (result["rightSingularMatrix"] is JsonArray vt)
        {
            tables.Add(Matrix("right singular vectors Vᵀ (one row per singular value)", vt, "", i => $"v{i + 1}", Column, screen.MatrixRows));
        }

        return tables;
    }

    private static List<TextTable> Regression(JsonObject result, JsonObject extras, Screen screen)
    {
        var beta = Rows(result["beta"]);
        bool intercept = result["interceptFlag"]!.GetValue<bool>();
        int k = beta.Count, terms = beta.Count == 0 ? 0 : beta[0].Length;

        // Transposed: one row per term (intercept, x0, x1, …), one column per response, as a regression summary reads.
        var byTerm = Enumerable.Range(0, terms).Select(t => beta.Select(row => row[t]).ToArray()).ToList();
        var rows = intercept ? byTerm : byTerm.Skip(1).ToList();
        var coefficients = TextTable.Matrix("coefficients", rows, "term", t => intercept && t == 0 ? "intercept" : Column(intercept ? t - 1 : t), r => $"response {r}", screen.MatrixRows);
        double[] r2 = Extras.Doubles(extras, "rSquared");
        var fit = new TextTable(string.Create(CultureInfo.InvariantCulture, $"fit on the training data ({Integer(extras["rows"]):N0} rows)"), ["response", "R²"]);
        for (int r = 0; r < k; r++)
        {
            fit.Add($"response {r}", double.IsNaN(r2[r]) ? "NaN (constant response)" : r2[r].ToString("0.000000", CultureInfo.InvariantCulture));
        }

        return [coefficients, fit];
    }

    private static TextTable Prediction(JsonObject result, Screen screen)
    {
        var rows = Rows(result["prediction"]);
        return TextTable.Matrix(string.Create(CultureInfo.InvariantCulture, $"prediction ({rows.Count:N0} rows)"), rows, "row", i => i.ToString(CultureInfo.InvariantCulture), r => $"response {r}", screen.MatrixRows);
    }

    private static List<TextTable> NaiveBayesTraining(JsonObject result, JsonObject extras)
    {
        double[] logP = Vector(result["logP"]);
        long[] counts = Extras.Longs(extras, "classCounts");
        long total = counts.Sum();
        var table = new TextTable(string.Create(CultureInfo.InvariantCulture, $"multinomial naive Bayes: {logP.Length} classes, {total:N0} training rows"), ["class", "rows", "share", "prior"]);
        var prior = NumberColumn.For(logP.Select(Math.Exp));
        for (int c = 0; c < logP.Length; c++)
        {
            table.Add(Label(c), counts[c].ToString("N0", CultureInfo.InvariantCulture), Percent(total == 0 ? 0 : (double)counts[c] / total), prior.Format(Math.Exp(logP[c])));
        }

        return [table];
    }

    private static List<TextTable> NaiveBayesPrediction(JsonObject result, Screen screen)
    {
        int[] labels = result["prediction"]!.AsArray().Select(v => v!.GetValue<int>()).ToArray();
        int classes = labels.Length == 0 ? 0 : labels.Max() + 1;
        var counts = new long[classes];
        foreach (int label in labels)
        {
            counts[label]++;
        }

        var table = new TextTable(string.Create(CultureInfo.InvariantCulture, $"predicted classes of {labels.Length:N0} rows"), ["class", "rows", "share"]);
        for (int c = 0; c < classes; c++)
        {
            table.Add(Label(c), counts[c].ToString("N0", CultureInfo.InvariantCulture), Percent(labels.Length == 0 ? 0 : (double)counts[c] / labels.Length));
        }

        var tables = new List<TextTable> { table };
        if (result["probabilities"] is JsonArray probabilities)
        {
            tables.Add(Matrix("class probabilities", probabilities, "row", i => i.ToString(CultureInfo.InvariantCulture), c => $"class {c}", screen.MatrixRows));
        }

        return tables;
    }

    private static List<TextTable> KMeans(JsonObject result, JsonObject extras, Screen screen)
    {
        var centroids = Rows(result["centroids"]);
        long[] sizes = Extras.Longs(extras, "clusterSizes");
        long total = sizes.Sum();
        var facts = Facts(
            "k-means (Lloyd)",
            ("clusters", centroids.Count.ToString(CultureInfo.InvariantCulture)),
            ("rows", total.ToString("N0", CultureInfo.InvariantCulture)),
            ("objective function", result["objectiveFunction"]!.GetValue<double>().ToString("G10", CultureInfo.InvariantCulture)),
            ("iterations", Count(result["nIterations"])));
        var withSizes = new TextTable("clusters: sizes and centroids", ["cluster", "rows", "share", .. Enumerable.Range(0, centroids.Count == 0 ? 0 : centroids[0].Length).Select(Column)]);
        var formats = Enumerable.Range(0, centroids.Count == 0 ? 0 : centroids[0].Length).Select(j => NumberColumn.For(centroids.Select(c => c[j]))).ToArray();
        foreach (int c in TextTable.ShownRows(centroids.Count, screen.MatrixRows))
        {
            withSizes.Add(c < 0
                ? [.. Enumerable.Repeat("…", formats.Length + 3)]
                : [Label(c), sizes[c].ToString("N0", CultureInfo.InvariantCulture), Percent(total == 0 ? 0 : (double)sizes[c] / total), .. centroids[c].Select((v, j) => formats[j].Format(v))]);
        }

        return [facts, withSizes];
    }

    private static TextTable Facts(string title, params (string Name, string Value)[] facts)
    {
        var table = new TextTable(title, ["", "value"]);
        foreach (var (name, value) in facts)
        {
            table.Add(name, value);
        }

        return table;
    }

    private static TextTable Matrix(string title, JsonNode? matrix, string corner, Func<int, string> rowLabel, Func<int, string> columnLabel, int maxRows)
        => TextTable.Matrix(title, Rows(matrix), corner, rowLabel, columnLabel, maxRows);

    private static string Column(int j) => string.Create(CultureInfo.InvariantCulture, $"x{j}");

    private static string Label(int c) => c.ToString(CultureInfo.InvariantCulture);

    private static string Count(JsonNode? node) => Integer(node).ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>An integer however the command created the node (int or long).</summary>
    public static long Integer(JsonNode? node) => long.Parse(node!.ToJsonString(), CultureInfo.InvariantCulture);

    private static string Percent(double share) => (100 * share).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    public static double[] Vector(JsonNode? node) => node!.AsArray().Select(v => v!.GetValue<double>()).ToArray();

    public static List<double[]> Rows(JsonNode? node) => node!.AsArray().Select(Vector).ToList();
}
