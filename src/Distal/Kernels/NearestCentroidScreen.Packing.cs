using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Distal.Kernels;

/// <summary>The screen's packing: eight rows of doubles as float columns, with their ‖x̃‖².</summary>
internal sealed partial class NearestCentroidScreen
{
    /// <summary>
    /// Packs <paramref name="rows"/> (row-major, <paramref name="columns"/> values each) for
    /// <see cref="NearestOfPacked"/>: blocks of eight rows as float columns, each followed by its rows' ‖x̃‖²; the last
    /// block repeats its last row. Lloyd makes this copy once and screens it on every pass, so no pass packs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Pack(ReadOnlySpan<double> rows, int columns, Span<float> packed)
    {
        int count = rows.Length / columns;
        int blockLength = BlockLength(columns);
        if (packed.Length < PackedLength(count, columns))
        {
            throw new ArgumentException("The packed copy is too short.");
        }

        double[]? padded = null;
        for (int r = 0, b = 0; r < count; r += Lanes, b++)
        {
            ReadOnlySpan<double> block = rows[(r * columns)..];
            if (count - r < Lanes)
            {
                padded = new double[Lanes * columns];
                for (int lane = 0; lane < Lanes; lane++)
                {
                    rows.Slice((r + Math.Min(lane, count - r - 1)) * columns, columns).CopyTo(padded.AsSpan(lane * columns));
                }

                block = padded;
            }

            ref float target = ref MemoryMarshal.GetReference(packed[(b * blockLength)..]);
            PackConverted(ref MemoryMarshal.GetReference(block), columns, ref target).StoreUnsafe(ref Unsafe.Add(ref target, Lanes * columns));
        }
    }

    /// <summary>
    /// Eight rows of <paramref name="columns"/> doubles (row-major) as float columns × 8 at <paramref name="packed"/>;
    /// returns each row's ‖x̃‖² (one fused chain over the columns, in float).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> PackConverted(ref double rows, int columns, ref float packed)
    {
        Vector256<float> lengths = default, l1 = default, l2 = default, l3 = default;
        int c = 0;

        // Four columns at a time: rows r and r + 4 share a vector (low and high half), so one in-lane 4 × 4 transpose
        // of floats (four unpacks, then four as pairs) gives four whole columns of eight rows.
        for (; c + 4 <= columns; c += 4)
        {
            var a = Row(ref rows, columns, 0, 4, c);
            var b = Row(ref rows, columns, 1, 5, c);
            var d = Row(ref rows, columns, 2, 6, c);
            var e = Row(ref rows, columns, 3, 7, c);
            var ab0 = Avx.UnpackLow(a, b).AsDouble();
            var ab1 = Avx.UnpackHigh(a, b).AsDouble();
            var de0 = Avx.UnpackLow(d, e).AsDouble();
            var de1 = Avx.UnpackHigh(d, e).AsDouble();
            var c0 = Avx.UnpackLow(ab0, de0).AsSingle();
            var c1 = Avx.UnpackHigh(ab0, de0).AsSingle();
            var c2 = Avx.UnpackLow(ab1, de1).AsSingle();
            var c3 = Avx.UnpackHigh(ab1, de1).AsSingle();
            ref float target = ref Unsafe.Add(ref packed, Lanes * c);
            c0.StoreUnsafe(ref target);
            c1.StoreUnsafe(ref target, Lanes);
            c2.StoreUnsafe(ref target, 2 * Lanes);
            c3.StoreUnsafe(ref target, 3 * Lanes);
            // Four chains: one chain of 4 fused adds per iteration was a latency bound as long as the packing.
            lengths = Fma.MultiplyAdd(c0, c0, lengths);
            l1 = Fma.MultiplyAdd(c1, c1, l1);
            l2 = Fma.MultiplyAdd(c2, c2, l2);
            l3 = Fma.MultiplyAdd(c3, c3, l3);
        }

        lengths = (lengths + l1) + (l2 + l3);

        for (; c < columns; c++)
        {
            ref float target = ref Unsafe.Add(ref packed, Lanes * c);
            for (int lane = 0; lane < Lanes; lane++)
            {
                Unsafe.Add(ref target, lane) = (float)Unsafe.Add(ref rows, (lane * columns) + c);
            }

            var column = Vector256.LoadUnsafe(ref target);
            lengths = Fma.MultiplyAdd(column, column, lengths);
        }

        return lengths;
    }

    /// <summary>Columns [c, c + 4) of rows <paramref name="low"/> and <paramref name="high"/>, as floats in the two halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Row(ref double rows, int columns, int low, int high, int c) => Vector256.Create(
        Avx.ConvertToVector128Single(Vector256.LoadUnsafe(ref rows, (nuint)((low * columns) + c))),
        Avx.ConvertToVector128Single(Vector256.LoadUnsafe(ref rows, (nuint)((high * columns) + c))));
}
