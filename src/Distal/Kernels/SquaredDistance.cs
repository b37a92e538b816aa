using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Distal.Kernels;

/// <summary>
/// ‖x − c‖² summed from the differences, in one fixed order (two Vector256 accumulators over alternate chunks, their
/// sum's lanes, then the tail). The result depends only on the two rows — never on where the row sits in a block, a thread or a
/// rank — which the initialisations need to be bitwise independent of the partitioning. Summing differences (rather
/// than ‖x‖² − 2x·c + ‖c‖²) also keeps small distances accurate.
/// </summary>
internal static class SquaredDistance
{
    // The process's vector width (DISTAL_SIMD) decides, so the forced scalar and 128-bit runs test the scalar path.
    private static readonly bool Vectorized = SimdWidths.Default >= SimdWidth.Bits256;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Between(ReadOnlySpan<double> x, ReadOnlySpan<double> c)
    {
        int n = x.Length;
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double cr = ref MemoryMarshal.GetReference(c);
        int j = 0;
        double sum = 0;
        if (Vectorized && n >= Vector256<double>.Count)
        {
            // Two accumulators halve the dependency chain of adds, which bounds the time of a short row.
            var acc0 = Vector256<double>.Zero;
            var acc1 = Vector256<double>.Zero;
            const int W = 4;
            for (; j <= n - (2 * W); j += 2 * W)
            {
                var d0 = Vector256.LoadUnsafe(ref xr, (nuint)j) - Vector256.LoadUnsafe(ref cr, (nuint)j);
                var d1 = Vector256.LoadUnsafe(ref xr, (nuint)(j + W)) - Vector256.LoadUnsafe(ref cr, (nuint)(j + W));
                acc0 += d0 * d0;
                acc1 += d1 * d1;
            }

            if (j <= n - W)
            {
                var d = Vector256.LoadUnsafe(ref xr, (nuint)j) - Vector256.LoadUnsafe(ref cr, (nuint)j);
                acc0 += d * d;
                j += W;
            }

            var acc = acc0 + acc1;
            sum = (acc.GetElement(0) + acc.GetElement(1)) + (acc.GetElement(2) + acc.GetElement(3));
        }

        double tail = 0;
        for (; j < n; j++)
        {
            double d = Unsafe.Add(ref xr, j) - Unsafe.Add(ref cr, j);
            tail += d * d;
        }

        return sum + tail;
    }

    /// <summary>‖x‖² in a fixed order (one Vector256 accumulator, its lanes pairwise, then the tail).</summary>
    public static double Norm(ReadOnlySpan<double> x)
    {
        int n = x.Length;
        ref double xr = ref MemoryMarshal.GetReference(x);
        int j = 0;
        double sum = 0;
        if (Vectorized && n >= Vector256<double>.Count)
        {
            var acc = Vector256<double>.Zero;
            for (; j <= n - Vector256<double>.Count; j += Vector256<double>.Count)
            {
                var v = Vector256.LoadUnsafe(ref xr, (nuint)j);
                acc += v * v;
            }

            sum = (acc.GetElement(0) + acc.GetElement(1)) + (acc.GetElement(2) + acc.GetElement(3));
        }

        for (; j < n; j++)
        {
            double v = Unsafe.Add(ref xr, j);
            sum += v * v;
        }

        return sum;
    }
}
