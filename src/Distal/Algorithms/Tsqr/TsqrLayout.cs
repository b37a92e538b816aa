namespace Distal.Algorithms.Tsqr;

/// <summary>How TSQR cuts a rank's rows into leaves.</summary>
internal static class TsqrLayout
{
    // A leaf of ~256 KiB (1638 rows of 20 columns) and its Householder vectors stay in L2 while it is factored,
    // which is what makes the leaf QRs fast; leaves need at least 2p rows so that stacking R factors does not dominate.
    private const int LeafBytes = 256 * 1024;

    public static int ChunkRows(int columns) => Math.Max(2 * columns, LeafBytes / sizeof(double) / Math.Max(1, columns));

    /// <summary>Number of leaves for <paramref name="rows"/> rows: enough to keep every thread busy, each about <see cref="ChunkRows"/> rows.</summary>
    public static int LeafCount(int rows, int columns, int threads)
    {
        if (rows == 0)
        {
            return 1;
        }

        int byCache = (int)Math.Ceiling(rows / (double)ChunkRows(columns));
        int byThreads = Math.Min(threads, Math.Max(1, rows / Math.Max(1, 2 * columns)));
        return Math.Max(1, Math.Max(byCache, byThreads));
    }
}
