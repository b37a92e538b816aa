using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Distal.Algorithms.KMeans;

/// <summary>
/// ‖x − c‖² summed from the differences, in one fixed order (four Vector256 lanes, then the tail, then the lanes
/// left to right). The result depends only on the two rows — never on where the row sits in a block, a thread or a
/// rank — which the initialisations need to be bitwise independent of the partitioning. Summing differences (rather
/// than ‖x‖² − 2x·c + ‖c‖²) also keeps small distances accurate.
/// </summary>
internal static class SquaredDistance
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Between(ReadOnlySpan<double> x, ReadOnlySpan<double> c)
    {
        int n = x.Length;
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double cr = ref MemoryMarshal.GetReference(c);
        int j = 0;
        double sum = 0;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<double>.Count)
        {
            var acc = Vector256<double>.Zero;
            for (; j <= n - Vector256<double>.Count; j += Vector256<double>.Count)
            {
                var d = Vector256.LoadUnsafe(ref xr, (nuint)j) - Vector256.LoadUnsafe(ref cr, (nuint)j);
                acc += d * d;
            }

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
}
