using Distal.Kernels;

namespace Distal.Algorithms;

/// <summary>
/// The centroids of one assignment pass, with what every worker needs precomputed: the shift, the shifted centroids and
/// their norms, and, for few clusters, the fused tiles and the float32 screen.
/// </summary>
/// <remarks>
/// The nearest centroid is the argmin of ‖c − s‖² − 2(x − s)·(c − s), with s the centroids' mean: the same argmin as
/// ‖c‖² − 2x·c, whose rounding, on data with a large offset (1e8 + N(0, 1), say), is as large as the differences that
/// decide it, so that boundary rows flipped from pass to pass and Lloyd never settled. The shift depends only on the
/// centroids, which every rank holds alike, so every rank, every pass and <see cref="KMeansModel.Predict(Table{double})"/>
/// shift alike.
/// </remarks>
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

        (Shift, ShiftedValues, ShiftedNorms) = Shifted(centroids, Norms, clusters, columns);
        bool shifted = Array.Exists(Shift, v => v != 0);
        Tiles = allowFused && NearestCentroidLanes.Applies(clusters)
            ? new NearestCentroidLanes(ShiftedValues, ShiftedNorms, clusters, columns, shifted ? Shift : default)
            : null;
        Screen = Tiles is not null && allowScreen ? NearestCentroidScreen.TryCreate(Tiles, centroids, Norms, clusters, columns) : null;
    }

    /// <summary>k × p, row-major.</summary>
    public double[] Values { get; }

    public int Clusters { get; }

    public int Columns { get; }

    /// <summary>‖c‖² per centroid (what the float32 screen works from).</summary>
    public double[] Norms { get; }

    /// <summary>s: the centroids' mean, subtracted from rows and centroids by the double kernels.</summary>
    public double[] Shift { get; }

    /// <summary>c − s, k × p, row-major.</summary>
    public double[] ShiftedValues { get; }

    /// <summary>‖c − s‖² per centroid.</summary>
    public double[] ShiftedNorms { get; }

    /// <summary>The fused nearest-centroid path, when k is small enough; else null (general product).</summary>
    public NearestCentroidLanes? Tiles { get; }

    /// <summary>The float32 screen in front of <see cref="Tiles"/> (the same answers, faster), where it applies; else null.</summary>
    public NearestCentroidScreen? Screen { get; }

    /// <summary>
    /// s = the centroids' mean (each column summed in centroid order), c − s and ‖c − s‖². Where the shift would turn a
    /// finite value into a non-finite one (a NaN or infinite centroid, or a sum or difference that overflows), there is
    /// no shift: s = 0 and the centroids as they are, so one bad centroid cannot spoil the others' values.
    /// </summary>
    private static (double[] Shift, double[] Values, double[] Norms) Shifted(double[] centroids, double[] norms, int clusters, int columns)
    {
        var shift = new double[columns];
        if (clusters > 0)
        {
            for (int j = 0; j < clusters; j++)
            {
                for (int c = 0; c < columns; c++)
                {
                    shift[c] += centroids[(j * columns) + c];
                }
            }

            for (int c = 0; c < columns; c++)
            {
                shift[c] /= clusters;
            }
        }

        var values = new double[clusters * columns];
        var shiftedNorms = new double[clusters];
        bool usable = Array.TrueForAll(shift, double.IsFinite);
        for (int j = 0; j < clusters && usable; j++)
        {
            for (int c = 0; c < columns; c++)
            {
                values[(j * columns) + c] = centroids[(j * columns) + c] - shift[c];
            }

            shiftedNorms[j] = SquaredDistance.Norm(values.AsSpan(j * columns, columns));
            usable = double.IsFinite(shiftedNorms[j]) || !double.IsFinite(norms[j]);
        }

        return usable ? (shift, values, shiftedNorms) : (new double[columns], centroids, norms);
    }
}
