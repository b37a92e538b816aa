namespace Distal.Algorithms;

/// <summary>The result of <see cref="KMeansInit"/>: the same on every rank.</summary>
public sealed class KMeansInitResult
{
    internal KMeansInitResult(Table<double> centroids)
    {
        Centroids = centroids;
    }

    /// <summary>The initial centroids, k × p (daal4py's <c>centroids</c>).</summary>
    public Table<double> Centroids { get; }
}
