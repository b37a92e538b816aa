using System.Runtime.CompilerServices;

namespace Distal.Kernels;

/// <summary>
/// The narrow-matrix path of <see cref="TallSkinnyGram"/>: rows are packed, shifted, into a column panel (each
/// column's rows contiguous) and the upper triangle is swept with <see cref="DotTile"/>'s 4 × 3 lane-wise dot
/// products, which need no broadcasts. The products accumulate per vector lane in a small p × p × width array that
/// stays in L2; the lanes are added, in lane order, once per row range.
/// </summary>
internal static class GramPanel
{
    /// <summary>
    /// Bytes of one packed panel. It lives in L2 (1 MiB per core on Zen 4); a tile reuses its four A columns from L1
    /// and streams three B columns. Larger panels give each tile call a longer loop.
    /// </summary>
    private const int PanelBytes = 48 * 1024;

    /// <summary>Lane accumulators up to this size (in bytes) use this path; they must stay in L2 beside the panel.</summary>
    private const int MaxLaneBytes = 384 * 1024;

    /// <summary>
    /// Whether the column-panel path serves <paramref name="n"/> columns at <paramref name="width"/> lanes. Measured
    /// on Zen 4, one thread, 256-bit (`quick --kernels xtx:ROWSxCOLS`, best of 7, under load): it won at p = 30
    /// (31.8 against 28.5 GFLOP/s in cache, 30 against 26 from memory) and p = 50 (38–39 against 34–36), tied at 40,
    /// and lost at p = 20 from memory (21 against 22–24), 64 (35–39 against 38–42) and 96 (35–37 against 39–44), where
    /// the row-major tiles waste little and the lane array outgrows the cache.
    /// </summary>
    public static bool Serves(int n, int width)
        => n is >= 24 and <= 56 && (long)RoundUp(n, 4) * Columns(n) * width * sizeof(double) <= MaxLaneBytes;

    /// <summary>
    /// Adds the upper triangle of the shifted XᵀX over rows [first, last) into partial[i·stride + j] (j ≥ i), and the
    /// column sums of the shifted rows into <paramref name="sums"/> (null: none).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Accumulate<TOps, TV>(GramSource source, int first, int last, int n, double[] partial, int stride, double* sums)
        where TOps : struct, IVectorArithmetic<TV>
        where TV : struct
    {
        int w = TOps.Count;
        int strips = RoundUp(n, 4);
        int columns = Columns(n);
        int blockRows = Math.Clamp(PanelBytes / (columns * sizeof(double)) / 8 * 8, 64, 4096);
        nint ld = blockRows;
        nint ldc = (nint)columns * w;

        // Columns n and beyond, and rows past a short last block, are zero: tiles read them and add exact zeros. The
        // workspace is kept per thread: allocating and zeroing it for every call (a covariance makes one call per
        // 4096 rows) cost page faults and a 130 KiB clear each time.
        long panelDoubles = (long)columns * blockRows;
        long laneDoubles = (long)strips * ldc;
        Workspace workspace = Workspace.For(n, w, panelDoubles + laneDoubles + (4L * n));
        fixed (double* memory = workspace.Buffer)
        {
            double* panel = memory + workspace.Start;
            double* lanes = panel + panelDoubles;
            double* scratch = lanes + laneDoubles;
            new Span<double>(lanes, (int)laneDoubles).Clear();
            ref double p0 = ref *panel;
            ref double l0 = ref *lanes;
            for (int r0 = first; r0 < last; r0 += blockRows)
            {
                int count = Math.Min(blockRows, last - r0);
                source.PackColumns(r0, count, n, panel, ld, sums, scratch);
                int depth = RoundUp(count, w);
                for (int c = 0; c < n && depth > count; c++)
                {
                    new Span<double>(panel + (c * ld) + count, depth - count).Clear();
                }

                int nextCount = Math.Min(blockRows, last - r0 - count);
                for (int i0 = 0; i0 < n; i0 += 4)
                {
                    source.Prefetch(r0 + count, nextCount, i0 / 4, strips / 4);

                    ref double a = ref Unsafe.Add(ref p0, i0 * ld);
                    for (int j0 = i0; j0 < n; j0 += 3)
                    {
                        DotTile.Dot4x3<TOps, TV>(ref a, ref Unsafe.Add(ref p0, j0 * ld), ld, depth, ref Unsafe.Add(ref l0, (i0 * ldc) + (j0 * w)), ldc);
                    }
                }
            }

            for (int i = 0; i < n; i++)
            {
                for (int j = i; j < n; j++)
                {
                    double* lane = lanes + (i * ldc) + (j * w);
                    double sum = lane[0];
                    for (int l = 1; l < w; l++)
                    {
                        sum += lane[l];
                    }

                    partial[(i * stride) + j] += sum;
                }
            }
        }
    }

    /// <summary>
    /// One thread's panel, lane accumulators and float scratch, in a pinned array so that the addresses stay valid and
    /// the panel starts on a 64-byte line. The panel's padding columns are zeroed when the shape changes and are never
    /// written otherwise.
    /// </summary>
    private sealed class Workspace
    {
        [ThreadStatic]
        private static Workspace? current;

        private int _columns = -1;
        private int _width = -1;

        public double[] Buffer { get; private set; } = [];

        /// <summary>Index of the first 64-byte aligned double in <see cref="Buffer"/>.</summary>
        public int Start { get; private set; }

        public static unsafe Workspace For(int n, int width, long doubles)
        {
            Workspace workspace = current ??= new Workspace();
            if (workspace._columns != n || workspace._width != width || workspace.Buffer.Length < doubles + 8)
            {
                workspace.Buffer = GC.AllocateArray<double>(checked((int)doubles + 8), pinned: true);
                fixed (double* b = workspace.Buffer)
                {
                    workspace.Start = (int)((64 - ((nint)b % 64)) % 64 / sizeof(double));
                }

                workspace._columns = n;
                workspace._width = width;
            }

            return workspace;
        }
    }

    /// <summary>Panel columns: the 4-row strips' padding, and the last 3-column tile of every strip (up to n + 1).</summary>
    private static int Columns(int n) => Math.Max(RoundUp(n, 4), n + 2);

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
