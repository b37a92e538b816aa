namespace Distal.Algorithms;

/// <summary>
/// The result of <see cref="KMeans"/> (daal4py's <c>kmeans</c> result). Centroids, objective and iteration count are
/// the same on every rank; <see cref="Assignments"/> are this rank's rows' clusters — in distributed mode too.
/// </summary>
public sealed class KMeansResult
{
    internal KMeansResult(Table<double> centroids, double objectiveFunction, int nIterations, int[] assignments)
    {
        Centroids = centroids;
        ObjectiveFunction = objectiveFunction;
        NIterations = nIterations;
        Assignments = assignments;
    }

    /// <summary>The final centroids, k × p (daal4py's <c>centroids</c>).</summary>
    public Table<double> Centroids { get; }

    /// <summary>
    /// Σ over all rows of the squared distance to the nearest final centroid (daal4py's <c>objectiveFunction</c>;
    /// scikit-learn's <c>inertia_</c>).
    /// </summary>
    public double ObjectiveFunction { get; }

    /// <summary>Iterations performed, each one a centroid update (daal4py's <c>nIterations</c>).</summary>
    public int NIterations { get; }

    /// <summary>The 0-based cluster of each of this rank's rows, in row order, against the final centroids (daal4py's <c>assignments</c>).</summary>
    public int[] Assignments { get; }

    /// <summary>The trained model, for assigning new rows.</summary>
    public KMeansModel Model => new(Centroids);
}
