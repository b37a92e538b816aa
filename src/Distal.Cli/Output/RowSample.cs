using Distal.Communication;

namespace Distal.Cli.Output;

/// <summary>
/// A stride sample of at most <see cref="Presentation.SampleRows"/> rows over the global row order (rank order):
/// every rank keeps its rows whose global index is a multiple of the stride, and only those travel to rank 0. The
/// sample is the same whatever the number of ranks, and rank 0's memory is bounded whatever the data size.
/// </summary>
internal sealed class RowSample
{
    private RowSample(long total, long stride, long offset)
    {
        Total = total;
        Stride = stride;
        Offset = offset;
    }

    /// <summary>Rows on all ranks.</summary>
    public long Total { get; }

    /// <summary>Every Stride-th global row is kept.</summary>
    public long Stride { get; }

    /// <summary>The global index of this rank's first row.</summary>
    public long Offset { get; }

    /// <summary>Rows kept on all ranks.</summary>
    public long Kept => Total == 0 ? 0 : (Total - 1) / Stride + 1;

    /// <summary>Collective: agrees the stride from every rank's row count.</summary>
    public static RowSample Plan(Communicator communicator, long localRows, int maxRows = Presentation.SampleRows)
    {
        long[] counts = communicator.Allgather(localRows);
        long total = counts.Sum();
        long offset = counts.Take(communicator.Rank).Sum();
        return new RowSample(total, Math.Max(1, (total + maxRows - 1) / maxRows), offset);
    }

    /// <summary>This rank's local indices of the kept rows.</summary>
    public IEnumerable<int> LocalIndices(int localRows)
    {
        long first = (Stride - Offset % Stride) % Stride;
        for (long i = first; i < localRows; i += Stride)
        {
            yield return (int)i;
        }
    }

    /// <summary>Whether this rank's row <paramref name="localRow"/> is kept (for rows met chunk by chunk).</summary>
    public bool Keeps(long localRow) => (Offset + localRow) % Stride == 0;

    /// <summary>Adds rows, sampledRows and stride to the extras (what the picture's note says).</summary>
    public void Describe(System.Text.Json.Nodes.JsonObject extras)
    {
        extras["rows"] = Total;
        extras["sampledRows"] = Kept;
        extras["stride"] = Stride;
    }
}
