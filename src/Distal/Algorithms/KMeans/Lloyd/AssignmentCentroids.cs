using Distal.Kernels;

namespace Distal.Algorithms;

/// <summary>The centroids of one assignment pass, with what every worker needs precomputed: norms and, for few clusters, the fused tiles.</summary>
internal sealed class AssignmentCentroids
{
    /// <param name="centroids">k × p, row-major.</param>
    /// <param name="clusters">k.</param>
    /// <param name="columns">p.</param>
    /// <param name="allowFused">False forces the general-product path (tests compare the two).</param>
    /// <param name="allowScreen">False keeps the fused path on its double kernel alone (tests and benchmarks compare the two).</param>
    public AssignmentCentroids(double[] centroids, int clusters, int columns, bool allowFused = true, bool allowScreen = true)
    {
        Values = centroids;
        Clusters = clusters;
        Columns = columns;
        Norms = new double[clusters];
        for (int j = 0; j < clusters; j++)
        {
            Norms[j] = SquaredDistance.Norm(centroids.AsSpan(j * columns, columns));
        }

        Tiles = allowFused && NearestCentroidLanes.Applies(clusters) ? new NearestCentroidLanes(centroids, Norms, clusters, columns) : null;
        Screen = Tiles is not null && allowScreen ? NearestCentroidScreen.TryCreate(Tiles, centroids, Norms, clusters, columns) : null;
    }

    /// <summary>k × p, row-major.</summary>
    public double[] Values { get; }

    public int Clusters { get; }

    public int Columns { get; }

    /// <summary>‖c‖² per centroid.</summary>
    public double[] Norms { get; }

    /// <summary>The fused nearest-centroid path, when k is small enough; else null (general product).</summary>
    public NearestCentroidLanes? Tiles { get; }

    /// <summary>The float32 screen in front of <see cref="Tiles"/> (the same answers, faster), where it applies; else null.</summary>
    public NearestCentroidScreen? Screen { get; }
}
