using System.Globalization;
using System.Text.Json.Nodes;
using Distal.Algorithms;
using Distal.Communication;

namespace Distal.Cli.Output;

/// <summary>
/// What the k-means summary and picture need: cluster sizes (one allreduce of k counts) and, for the picture, the
/// data's first two principal components (a covariance PCA: one more pass, a p×p partial), a stride sample of rows
/// projected on them with their clusters, and the projected centroids.
/// </summary>
internal static class ClusterView
{
    public static void AddSizes(JsonObject extras, Communicator communicator, ReadOnlySpan<int> assignments, int clusters)
    {
        var sizes = new long[clusters];
        foreach (int a in assignments)
        {
            sizes[a]++;
        }

        communicator.Allreduce<long>(sizes, ReduceOperation.Sum);
        extras["clusterSizes"] = new JsonArray([.. sizes.Select(s => JsonValue.Create(s))]);
    }

    public static void AddPicture(JsonObject extras, Communicator communicator, InputTable data, KMeansResult result)
    {
        int p = result.Centroids.Columns;
        var pca = data.Compute(new Pca { DoScale = false, NComponents = Math.Min(2, p), Distributed = true });
        double total = pca.Variances!.Sum();
        var means = pca.Means!;
        var vectors = pca.Eigenvectors;
        double Project(ReadOnlySpan<double> row, int component)
        {
            if (component >= vectors.Rows)
            {
                return 0;
            }

            double sum = 0;
            for (int j = 0; j < row.Length; j++)
            {
                sum += (row[j] - means[j]) * vectors[component, j];
            }

            return sum;
        }

        var rows = data.AsDouble();
        var plan = RowSample.Plan(communicator, rows.Rows);
        var xs = new List<double>();
        var ys = new List<double>();
        var clusters = new List<int>();
        foreach (int i in plan.LocalIndices(rows.Rows))
        {
            xs.Add(Project(rows.Row(i), 0));
            ys.Add(Project(rows.Row(i), 1));
            clusters.Add(result.Assignments[i]);
        }

        double[] allX = communicator.GatherV<double>(xs.ToArray(), 0, out _);
        double[] allY = communicator.GatherV<double>(ys.ToArray(), 0, out _);
        int[] allClusters = communicator.GatherV<int>(clusters.ToArray(), 0, out _);
        plan.Describe(extras);
        extras["sampleX"] = JsonResult.Vector(allX);
        extras["sampleY"] = JsonResult.Vector(allY);
        extras["sampleCluster"] = JsonResult.Vector(allClusters);
        var centroids = result.Centroids;
        extras["centroidX"] = JsonResult.Vector([.. Enumerable.Range(0, centroids.Rows).Select(c => Project(centroids.Row(c), 0))]);
        extras["centroidY"] = JsonResult.Vector([.. Enumerable.Range(0, centroids.Rows).Select(c => Project(centroids.Row(c), 1))]);
        extras["xLabel"] = Label(1, pca.Eigenvalues, total);
        extras["yLabel"] = Label(2, pca.Eigenvalues, total);
    }

    private static string Label(int component, double[] eigenvalues, double total)
        => component > eigenvalues.Length
            ? $"PC{component} (none: one column)"
            : string.Create(CultureInfo.InvariantCulture, $"PC{component} ({100 * eigenvalues[component - 1] / total:0.0}% of the variance)");
}
