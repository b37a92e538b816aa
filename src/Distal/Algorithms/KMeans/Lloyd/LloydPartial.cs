namespace Distal.Algorithms;

/// <summary>
/// What one Lloyd iteration gathers over some rows: per-cluster sums and counts, the objective against the
/// iteration's centroids, and how many rows changed cluster. Partials of disjoint rows merge by addition.
/// </summary>
internal sealed class LloydPartial(int clusters, int columns) : IPartial<LloydPartial>
{
    public int Clusters { get; } = clusters;

    public int Columns { get; } = columns;

    /// <summary>Per-cluster sums of the rows, clusters × columns.</summary>
    public double[] Sums { get; } = new double[clusters * columns];

    public long[] Counts { get; } = new long[clusters];

    /// <summary>Σ squared distance of each row to its nearest centroid of this iteration.</summary>
    public double Objective { get; set; }

    /// <summary>Rows whose cluster differs from the previous iteration's.</summary>
    public long Changed { get; set; }

    public void Merge(LloydPartial o)
    {
        for (int i = 0; i < Sums.Length; i++)
        {
            Sums[i] += o.Sums[i];
        }

        for (int j = 0; j < Clusters; j++)
        {
            Counts[j] += o.Counts[j];
        }

        Objective += o.Objective;
        Changed += o.Changed;
    }

    public void WriteTo(PartialWriter writer)
    {
        writer.Write(Clusters);
        writer.Write(Columns);
        writer.Write<double>(Sums);
        writer.Write<long>(Counts);
        writer.Write(Objective);
        writer.Write(Changed);
    }

    public static LloydPartial Decode(ref PartialReader reader)
    {
        int clusters = (int)reader.ReadInt64();
        int columns = (int)reader.ReadInt64();
        var partial = new LloydPartial(clusters, columns);
        reader.Read<double>(partial.Sums);
        reader.Read<long>(partial.Counts);
        partial.Objective = reader.ReadDouble();
        partial.Changed = reader.ReadInt64();
        return partial;
    }
}
