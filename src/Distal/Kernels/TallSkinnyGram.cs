using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Distal.Kernels;

/// <summary>
/// C += (X − 1sᵀ)ᵀ(X − 1sᵀ) for a tall row-major block X (rows ≫ columns) and an optional shift row s. Rows are
/// copied, block by block, into a zero-padded buffer that stays in cache (converting float to double and subtracting
/// the shift on the way, and summing the shifted rows while they are in L1, so a shifted Gram matrix costs no extra
/// pass over memory); the upper triangle of the product is then swept with
/// 4 × (3 vectors) register tiles, each summing a whole row block in registers before it touches memory. For
/// 24 ≤ p ≤ 56 <see cref="GramPanel"/> packs the rows transposed instead and sweeps lane-wise dot tiles, which was
/// faster there. Threads take contiguous row ranges, each with its own partial, and the partials are added in a fixed
/// order.
/// </summary>
internal static class TallSkinnyGram
{
    /// <summary>
    /// Bytes of one packed row block: it stays in the 32 KiB L1 while every tile of the triangle sweeps it. Measured on
    /// Zen 4 (p = 50): 16–32 KiB blocks ran ~25% faster than 256 KiB ones.
    /// </summary>
    private const int BlockBytes = 32 * 1024;

    /// <summary>Below this many multiply-adds per thread, starting a thread costs more than it saves.</summary>
    private const long MinWorkPerThread = 1L << 21;

    // Triangles up to this many doubles (8 MiB, p ≈ 1 000) come from the shared pool; larger ones are allocated and
    // dropped: the pool rounds a request up to a power of two and keeps what is returned for the life of the process,
    // which for p = 16 384 would pin 4 GiB per rank after one covariance.
    private const int PooledDoubles = 1 << 20;

    /// <summary>
    /// c += (x − s)ᵀ(x − s) and <paramref name="sums"/> += Σ(x − s) over the rows, on vectors of
    /// <paramref name="width"/>. An empty <paramref name="shift"/> means s = 0; an empty <paramref name="sums"/> skips
    /// the sums.
    /// </summary>
    public static unsafe void Add(SimdWidth width, ReadOnlySpan<double> x, int rows, int n, ReadOnlySpan<double> shift, Span<double> sums, Span<double> c, int threads)
    {
        fixed (double* px = x)
        fixed (double* ps = shift)
        {
            Run(width, new GramSource(px, null, ps, !sums.IsEmpty, n), rows, n, sums, c, threads);
        }
    }

    /// <inheritdoc cref="Add(SimdWidth, ReadOnlySpan{double}, int, int, ReadOnlySpan{double}, Span{double}, Span{double}, int)"/>
    public static unsafe void Add(SimdWidth width, ReadOnlySpan<float> x, int rows, int n, ReadOnlySpan<double> shift, Span<double> sums, Span<double> c, int threads)
    {
        fixed (float* px = x)
        fixed (double* ps = shift)
        {
            Run(width, new GramSource(null, px, ps, !sums.IsEmpty, n), rows, n, sums, c, threads);
        }
    }

    private static void Run(SimdWidth width, GramSource source, int rows, int n, Span<double> sums, Span<double> c, int threads)
    {
        switch (width)
        {
            case SimdWidth.Bits512: Run<Vector512Arithmetic, Vector512<double>>(source, rows, n, sums, c, threads); break;
            case SimdWidth.Bits256: Run<Vector256Arithmetic, Vector256<double>>(source, rows, n, sums, c, threads); break;
            case SimdWidth.Bits128: Run<Vector128Arithmetic, Vector128<double>>(source, rows, n, sums, c, threads); break;
            default: Run<ScalarArithmetic, double>(source, rows, n, sums, c, threads); break;
        }
    }

    private static unsafe void Run<TOps, TV>(GramSource source, int rows, int n, Span<double> sums, Span<double> c, int threads)
        where TOps : struct, IVectorArithmetic<TV>
        where TV : struct
    {
        if (rows == 0 || n == 0)
        {
            return;
        }

        int w = TOps.Count;
        int stride = RoundUp(n, 4) + w;                 // room for the last vector of a tile that starts at any i0
        int partialRows = RoundUp(n, 4);
        int blockRows = Math.Clamp(BlockBytes / (stride * sizeof(double)), 32, 2048);
        long work = (long)rows * n * (n + 1) / 2;
        int workers = (int)Math.Clamp(work / MinWorkPerThread, 1, Math.Max(1, threads));
        workers = Math.Min(workers, rows);

        double[][] partials = new double[workers][];
        if (workers == 1)
        {
            partials[0] = AccumulateRange<TOps, TV>(source, 0, rows, n, stride, partialRows, blockRows);
        }
        else
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, t =>
            {
                long first = (long)rows * t / workers;
                long last = (long)rows * (t + 1) / workers;
                partials[t] = AccumulateRange<TOps, TV>(source, (int)first, (int)last, n, stride, partialRows, blockRows);
            });
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                double sum = 0;
                for (int t = 0; t < workers; t++)
                {
                    sum += partials[t][(i * stride) + j];
                }

                c[(i * n) + j] += sum;
                if (j != i)
                {
                    c[(j * n) + i] += sum;
                }
            }
        }

        if (!sums.IsEmpty)
        {
            // Each worker's column sums sit in the row after its triangle; added in worker order, like the triangle.
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int t = 0; t < workers; t++)
                {
                    sum += partials[t][(partialRows * stride) + j];
                }

                sums[j] += sum;
            }
        }

        foreach (double[] partial in partials)
        {
            if (partial.Length <= PooledDoubles)
            {
                ArrayPool<double>.Shared.Return(partial);
            }
        }
    }

    /// <summary>
    /// Upper triangle of the shifted XᵀX over rows [first, last), as a partialRows × stride array rented from the pool,
    /// followed by one row with the column sums of the shifted rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe double[] AccumulateRange<TOps, TV>(GramSource source, int first, int last, int n, int stride, int partialRows, int blockRows)
        where TOps : struct, IVectorArithmetic<TV>
        where TV : struct
    {
        int w = TOps.Count;
        int length = (partialRows + 1) * stride;
        double[] partial = length <= PooledDoubles ? ArrayPool<double>.Shared.Rent(length) : GC.AllocateUninitializedArray<double>(length);
        Array.Clear(partial, 0, (partialRows + 1) * stride);
        if (GramPanel.Serves(n, w))
        {
            fixed (double* p = partial)
            {
                GramPanel.Accumulate<TOps, TV>(source, first, last, n, partial, stride, source.WantsSums ? p + (partialRows * stride) : null);
            }

            return partial;
        }

        var sums = source.WantsSums ? partial.AsSpan(partialRows * stride, n) : Span<double>.Empty;

        // 64-byte aligned, so that no vector load of the packed rows straddles two cache lines (stride is a multiple
        // of 4 doubles and every tile starts at a multiple of 4 columns). The padding columns must be zero; packing
        // only ever writes the first n columns of each row.
        nuint bytes = (nuint)blockRows * (nuint)stride * sizeof(double);
        double* block = (double*)NativeMemory.AlignedAlloc(bytes, 64);
        try
        {
            NativeMemory.Clear(block, bytes);
            ref double b0 = ref *block;
            ref double c0 = ref MemoryMarshal.GetArrayDataReference(partial);
            int iBlocks = (n + 3) / 4;
            for (int r0 = first; r0 < last; r0 += blockRows)
            {
                int count = Math.Min(blockRows, last - r0);
                source.Pack(r0, count, n, block, stride, sums);

                int nextCount = Math.Min(blockRows, last - r0 - count);
                for (int i0 = 0; i0 < n; i0 += 4)
                {
                    source.Prefetch(r0 + count, nextCount, i0 / 4, iBlocks);

                    ref double a = ref Unsafe.Add(ref b0, i0);
                    int j = i0;
                    while (j < n)
                    {
                        int left = n - j;
                        ref double b = ref Unsafe.Add(ref b0, j);
                        ref double c = ref Unsafe.Add(ref c0, (i0 * stride) + j);
                        if (left > 2 * w)
                        {
                            RegisterTile.Tile4x3<TOps, TV>(ref a, 1, stride, ref b, stride, count, ref c, stride, accumulate: true);
                            j += 3 * w;
                        }
                        else if (left > w)
                        {
                            RegisterTile.Tile4x2<TOps, TV>(ref a, 1, stride, ref b, stride, count, ref c, stride, accumulate: true);
                            j += 2 * w;
                        }
                        else if (left <= 2 && w >= 4)
                        {
                            // The last one or two columns: a 2-wide tile instead of a whole 4- or 8-wide vector of
                            // padding (at p = 50 that padding was 7% of all multiply-adds).
                            RegisterTile.Tile4x1Paired<Vector128Arithmetic, Vector128<double>>(ref a, 1, stride, ref b, stride, count, ref c, stride, accumulate: true);
                            j += 2;
                        }
                        else if (left <= 4 && w == 8)
                        {
                            RegisterTile.Tile4x1Paired<Vector256Arithmetic, Vector256<double>>(ref a, 1, stride, ref b, stride, count, ref c, stride, accumulate: true);
                            j += 4;
                        }
                        else
                        {
                            RegisterTile.Tile4x1Paired<TOps, TV>(ref a, 1, stride, ref b, stride, count, ref c, stride, accumulate: true);
                            j += w;
                        }
                    }
                }
            }
        }
        finally
        {
            NativeMemory.AlignedFree(block);
        }

        return partial;
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
