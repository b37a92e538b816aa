using System.Globalization;
using System.Text.Json.Nodes;
using Distal.Cli.Output;
using Distal.Data;

namespace Distal.Cli.Plots;

/// <summary>
/// `--plot FILE.png|FILE.svg`: which commands draw what, from the JSON result and the extras the command computed
/// (rank 0, after the computation). The file appears complete or not at all.
/// </summary>
internal static class PlotFile
{
    /// <summary>The commands that draw a picture, and what it shows (for the usage error and the docs).</summary>
    public static readonly IReadOnlyDictionary<string, string> Pictures = new Dictionary<string, string>
    {
        ["pca"] = "scree plot",
        ["kmeans"] = "clusters on the first two principal components",
        ["covariance"] = "correlation heat map",
        ["linear-regression-training"] = "predicted against actual",
        ["ridge-regression-training"] = "predicted against actual",
    };

    /// <summary>A usage error unless <paramref name="command"/> draws a picture.</summary>
    public static void CheckSupported(string command)
    {
        if (!Pictures.ContainsKey(command))
        {
            throw new DistalException(FailureKind.Usage, $"--plot: {command} draws no picture; pictures: {string.Join(", ", Pictures.Select(p => $"{p.Key} ({p.Value})"))}");
        }
    }

    public static void Write(string command, JsonObject result, JsonObject extras, string path)
    {
        bool svg = Path.GetExtension(path).Equals(".svg", StringComparison.OrdinalIgnoreCase);
        Canvas canvas = svg ? new SvgCanvas(Width(command), Height(command)) : new RasterCanvas(Width(command), Height(command));
        Draw(command, result, extras, canvas);
        OutputFile.Write(path, canvas.WriteTo);
    }

    public static void Draw(string command, JsonObject result, JsonObject extras, Canvas canvas)
    {
        switch (command)
        {
            case "pca":
                double[] eigenvalues = Summaries.Vector(result["eigenvalues"]);
                double total = extras["totalVariance"]!.GetValue<double>();
                string note = eigenvalues.Length < Summaries.Integer(extras["columns"])
                    ? string.Create(CultureInfo.InvariantCulture, $"{eigenvalues.Length} of {Summaries.Integer(extras["columns"])} components; shares of the total variance (trace {total:G6})")
                    : string.Create(CultureInfo.InvariantCulture, $"shares of the total variance (trace {total:G6}), {Summaries.Integer(extras["rows"]):N0} rows");
                Charts.Scree(canvas, [.. eigenvalues.Select(v => v / total)], note);
                break;
            case "kmeans":
                Charts.Clusters(canvas, new ClusterPicture(
                    Extras.Doubles(extras, "sampleX"), Extras.Doubles(extras, "sampleY"), Extras.Ints(extras, "sampleCluster"),
                    Extras.Doubles(extras, "centroidX"), Extras.Doubles(extras, "centroidY"), Extras.Longs(extras, "clusterSizes"),
                    extras["xLabel"]!.GetValue<string>(), extras["yLabel"]!.GetValue<string>(), SampleNote(extras)));
                break;
            case "covariance":
                Charts.Heatmap(canvas, Correlation(result), result["correlation"] is null ? "Correlation (from the covariance matrix)" : "Correlation matrix");
                break;
            default:
                Charts.PredictedVsActual(canvas, new RegressionPicture(
                    Extras.Doubles(extras, "sampleActual"), Extras.Doubles(extras, "samplePredicted"), Extras.Ints(extras, "sampleResponse"),
                    Extras.Doubles(extras, "rSquared"), SampleNote(extras)));
                break;
        }
    }

    private static int Width(string command) => command == "covariance" ? 720 : 860;

    private static int Height(string command) => command == "covariance" ? 640 : 560;

    private static string SampleNote(JsonObject extras)
    {
        long rows = Summaries.Integer(extras["rows"]), sampled = Summaries.Integer(extras["sampledRows"]);
        return sampled == rows
            ? string.Create(CultureInfo.InvariantCulture, $"all {rows:N0} rows")
            : string.Create(CultureInfo.InvariantCulture, $"{sampled:N0} of {rows:N0} rows (one row in {Summaries.Integer(extras["stride"]):N0})");
    }

    /// <summary>The correlation matrix: given, or from the covariance as cov_ij / √(cov_ii cov_jj) (NaN for a constant column).</summary>
    private static double[,] Correlation(JsonObject result)
    {
        var rows = Summaries.Rows(result["correlation"] ?? result["covariance"]);
        int p = rows.Count;
        var c = new double[p, p];
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                c[i, j] = result["correlation"] is not null ? rows[i][j] : rows[i][j] / Math.Sqrt(rows[i][i] * rows[j][j]);
            }
        }

        return c;
    }
}
