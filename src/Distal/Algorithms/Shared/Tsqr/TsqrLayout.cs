namespace Distal.Algorithms;

/// <summary>How TSQR cuts a rank's rows into leaves, and rows into cache-sized chunks.</summary>
internal static class TsqrLayout
{
    // A chunk of ~256 KiB (1638 rows of 20 columns) stays in L2 while it is worked on (streamed R accumulation, Q·B).
    private const int ChunkBytes = 256 * 1024;

    // Leaves of ~2 MiB (13107 rows of 20 columns) hand the kernel's own cache-blocked TSQR (TallQr) enough rows to use
    // its blocked path, and keep the tree small. Measured on 2 cores, one rank, 2,000,000×20 (qr / svd medians of 7):
    // 256 KiB leaves 0.41 / 0.40 s; 1 MiB 0.27 / 0.27 s; 2 MiB 0.26 / 0.26 s; 4 MiB 0.27 / 0.26 s; 8 MiB ≈ 0.31 / 0.29 s.
    // One leaf per thread was slower and erratic (0.50 / 0.32–0.60 s): each leaf's working copy is then a fresh
    // 160 MB array, and first-touching it costs more than the tree saves.
    private const int LeafBytes = 2 * 1024 * 1024;

    public static int ChunkRows(int columns) => Math.Max(2 * columns, ChunkBytes / sizeof(double) / Math.Max(1, columns));

    /// <summary>Number of leaves for <paramref name="rows"/> rows: about <see cref="LeafBytes"/> each, and at least one per thread while every leaf keeps 2p rows.</summary>
    public static int LeafCount(int rows, int columns, int threads)
    {
        if (rows == 0)
        {
            return 1;
        }

        int leafRows = Math.Max(2 * columns, LeafBytes / sizeof(double) / Math.Max(1, columns));
        int byCache = (int)Math.Ceiling(rows / (double)leafRows);
        int byThreads = Math.Min(threads, Math.Max(1, rows / Math.Max(1, 2 * columns)));
        return Math.Max(1, Math.Max(byCache, byThreads));
    }
}
