using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Distal.Kernels;

/// <summary>
/// C = A·B and C = A·Bᵀ for row-major operands, shaped for the tall cases the algorithms have (many rows of A, a
/// small B: k-means distances, projections, Q·R updates). A panel of B (at most PanelDepth × PanelWidth) is packed,
/// zero-padded to whole vectors, so it stays in L2; rows of A are swept four at a time with register tiles, and
/// threads take contiguous row ranges of A (each writes its own rows of C, so no reduction is needed).
/// </summary>
internal static class BlockedProduct
{
    private const int PanelDepth = 256;
    private const int PanelWidth = 192;
    private const long MinWorkPerThread = 1L << 20;

    public static void Multiply<TOps, TV>(ReadOnlySpan<double> a, int m, int k, ReadOnlySpan<double> b, int n, Span<double> c, int threads, bool transposedB)
        where TOps : struct, IVectorArithmetic<TV>
        where TV : struct
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            c.Clear();
            return;
        }

        int w = TOps.Count;
        long work = (long)m * n * k;
        int workers = (int)Math.Clamp(work / MinWorkPerThread, 1, Math.Max(1, threads));
        workers = Math.Min(workers, Math.Max(1, m / 4));
        int panelStride = RoundUp(Math.Min(n, PanelWidth), w);
        double[] panel = ArrayPool<double>.Shared.Rent(Math.Min(k, PanelDepth) * panelStride);
        try
        {
            unsafe
            {
                fixed (double* pa = a)
                fixed (double* pc = c)
                {
                    var operands = new Operands(pa, pc, m, k, n);
                    for (int jc = 0; jc < n; jc += PanelWidth)
                    {
                        int nc = Math.Min(PanelWidth, n - jc);
                        for (int pc0 = 0; pc0 < k; pc0 += PanelDepth)
                        {
                            int kc = Math.Min(PanelDepth, k - pc0);
                            PackPanel(b, k, n, transposedB, pc0, kc, jc, nc, panel, panelStride);
                            bool accumulate = pc0 > 0;
                            if (workers == 1)
                            {
                                SweepRows<TOps, TV>(operands, 0, m, pc0, kc, jc, nc, panel, panelStride, accumulate);
                            }
                            else
                            {
                                Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, t =>
                                {
                                    int first = (int)((long)m * t / workers) / 4 * 4;
                                    int last = t == workers - 1 ? m : (int)((long)m * (t + 1) / workers) / 4 * 4;
                                    SweepRows<TOps, TV>(operands, first, last, pc0, kc, jc, nc, panel, panelStride, accumulate);
                                });
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(panel);
        }
    }

    /// <summary>panel[p, j] = B[pc0 + p, jc + j] (or Bᵀ's), zero beyond nc so tiles can always load whole vectors.</summary>
    private static void PackPanel(ReadOnlySpan<double> b, int k, int n, bool transposedB, int pc0, int kc, int jc, int nc, double[] panel, int panelStride)
    {
        for (int p = 0; p < kc; p++)
        {
            Span<double> row = panel.AsSpan(p * panelStride, panelStride);
            if (transposedB)
            {
                for (int j = 0; j < nc; j++)
                {
                    row[j] = b[((jc + j) * k) + pc0 + p];
                }
            }
            else
            {
                b.Slice(((pc0 + p) * n) + jc, nc).CopyTo(row);
            }

            row[nc..].Clear();
        }
    }

    private static unsafe void SweepRows<TOps, TV>(Operands o, int first, int last, int pc0, int kc, int jc, int nc, double[] panel, int panelStride, bool accumulate)
        where TOps : struct, IVectorArithmetic<TV>
        where TV : struct
    {
        int w = TOps.Count;
        ref double p0 = ref MemoryMarshal.GetArrayDataReference(panel);
        double[]? spare = null;
        double[] scratch = new double[RegisterTile.ScratchLength];
        for (int i0 = first; i0 < last; i0 += 4)
        {
            int validRows = Math.Min(4, last - i0);
            ref double a = ref Unsafe.AsRef<double>(o.A + ((long)i0 * o.K) + pc0);
            nint aT = o.K;
            if (validRows < 4)
            {
                // Tiles always read four rows of A: copy the last few into a zero-padded scratch block.
                spare ??= new double[4 * kc];
                Array.Clear(spare);
                for (int t = 0; t < validRows; t++)
                {
                    new ReadOnlySpan<double>(o.A + ((long)(i0 + t) * o.K) + pc0, kc).CopyTo(spare.AsSpan(t * kc, kc));
                }

                a = ref MemoryMarshal.GetArrayDataReference(spare);
                aT = kc;
            }

            int j = 0;
            while (j < nc)
            {
                int left = nc - j;
                int vectors = left > 2 * w ? 3 : left > w ? 2 : 1;
                int columns = Math.Min(left, vectors * w);
                ref double b = ref Unsafe.Add(ref p0, j);
                bool full = validRows == 4 && columns == vectors * w;
                ref double c = ref full
                    ? ref Unsafe.AsRef<double>(o.C + ((long)i0 * o.N) + jc + j)
                    : ref MemoryMarshal.GetArrayDataReference(scratch);
                nint ldc = full ? o.N : vectors * w;
                bool add = full && accumulate;
                switch (vectors)
                {
                    case 3:
                        RegisterTile.Tile4x3<TOps, TV>(ref a, aT, 1, ref b, panelStride, kc, ref c, ldc, add);
                        break;
                    case 2:
                        RegisterTile.Tile4x2<TOps, TV>(ref a, aT, 1, ref b, panelStride, kc, ref c, ldc, add);
                        break;
                    default:
                        RegisterTile.Tile4x1<TOps, TV>(ref a, aT, 1, ref b, panelStride, kc, ref c, ldc, add);
                        break;
                }

                if (!full)
                {
                    // Edge tile: the kernel wrote a whole tile into scratch; move only the valid part into C.
                    for (int t = 0; t < validRows; t++)
                    {
                        Span<double> target = new(o.C + ((long)(i0 + t) * o.N) + jc + j, columns);
                        ReadOnlySpan<double> computed = scratch.AsSpan((int)(t * ldc), columns);
                        if (accumulate)
                        {
                            for (int q = 0; q < columns; q++)
                            {
                                target[q] += computed[q];
                            }
                        }
                        else
                        {
                            computed.CopyTo(target);
                        }
                    }
                }

                j += vectors * w;
            }
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>Pinned A and C with their shapes, shared by the worker threads.</summary>
    private readonly unsafe struct Operands(double* a, double* c, int m, int k, int n)
    {
        public double* A { get; } = a;

        public double* C { get; } = c;

        public int M { get; } = m;

        public int K { get; } = k;

        public int N { get; } = n;
    }
}
