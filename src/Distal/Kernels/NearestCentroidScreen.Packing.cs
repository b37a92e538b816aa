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

        for (int r = 0, b = 0; r < count; r += Lanes, b++)
        {
            ref float target = ref MemoryMarshal.GetReference(packed[(b * blockLength)..]);
            PackConverted(ref MemoryMarshal.GetReference(rows[(r * columns)..]), columns, Math.Min(Lanes, count - r), ref target)
                .StoreUnsafe(ref Unsafe.Add(ref target, Lanes * columns));
        }
    }

    /// <summary>
    /// Eight rows of <paramref name="columns"/> doubles (row-major) as float columns × 8 at <paramref name="packed"/>;
    /// returns each row's ‖x̃‖² (one fused chain over the columns, in float). With <paramref name="real"/> &lt; 8 rows,
    /// the missing lanes repeat the last row (lanes never mix, so the real lanes are as in a full block), and nothing
    /// past the last row is read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> PackConverted(ref double rows, int columns, int real, ref float packed)
    {
        // Each lane's row offset, in locals (a stackalloc here would keep the method from being inlined).
        int last = real - 1;
        int o1 = Math.Min(1, last) * columns, o2 = Math.Min(2, last) * columns, o3 = Math.Min(3, last) * columns;
        int o4 = Math.Min(4, last) * columns, o5 = Math.Min(5, last) * columns, o6 = Math.Min(6, last) * columns;
        int o7 = Math.Min(7, last) * columns;

        Vector256<float> lengths = default, l1 = default, l2 = default, l3 = default;
        int c = 0;

        // Four columns at a time: rows r and r + 4 share a vector (low and high half), so one in-lane 4 × 4 transpose
        // of floats (four unpacks, then four as pairs) gives four whole columns of eight rows.
        for (; c + 4 <= columns; c += 4)
        {
            var a = Row(ref rows, 0, o4, c);
            var b = Row(ref rows, o1, o5, c);
            var d = Row(ref rows, o2, o6, c);
            var e = Row(ref rows, o3, o7, c);
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
                Unsafe.Add(ref target, lane) = (float)Unsafe.Add(ref rows, (Math.Min(lane, last) * columns) + c);
            }

            var column = Vector256.LoadUnsafe(ref target);
            lengths = Fma.MultiplyAdd(column, column, lengths);
        }

        return lengths;
    }

    /// <summary>Columns [c, c + 4) of the rows at offsets <paramref name="low"/> and <paramref name="high"/>, as floats in the two halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Row(ref double rows, int low, int high, int c) => Vector256.Create(
        Avx.ConvertToVector128Single(Vector256.LoadUnsafe(ref rows, (nuint)(low + c))),
        Avx.ConvertToVector128Single(Vector256.LoadUnsafe(ref rows, (nuint)(high + c))));
}
