using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Distal.Kernels;

/// <summary>
/// <see cref="SquaredDistance.Between"/> of many rows to one centre, four rows per register (lanes over rows, as
/// <see cref="TrialDistances"/>), bitwise the same value for every row: the k-means++ pass after the first centre. The
/// row-wise form ends each row in a horizontal sum; here the same additions happen lane-wise, so the pass costs little
/// more than reading the rows.
/// </summary>
/// <remarks>
/// <see cref="SquaredDistance"/>'s order, column chunk by chunk: columns 8i + l go to accumulator A0[l] and 8i + 4 + l to
/// A1[l] (l = 0..3, d·d then + , not fused); a last whole chunk of four to A0; then (A0[0] + A1[0] + …) as
/// ((S0 + S1) + (S2 + S3)) with S_l = A0[l] + A1[l]; then the remaining columns one by one into a tail, added last.
/// Below four columns, or below 256-bit vectors, it is the tail alone; then each row goes through
/// <see cref="SquaredDistance.Between"/> itself.
/// </remarks>
internal static class SquaredDistanceLanes
{
    private const int Lanes = 4;

    private static readonly bool Vectorized = SimdWidths.Default >= SimdWidth.Bits256 && Vector256.IsHardwareAccelerated;

    /// <summary>Doubles of scratch <see cref="OfRows"/> needs for <paramref name="columns"/> columns.</summary>
    public static int ScratchLength(int columns) => Lanes * columns;

    /// <summary>‖row r − <paramref name="centre"/>‖² of the <paramref name="result"/>.Length rows of <paramref name="rows"/> (row-major).</summary>
    // Optimized at the first call: a pass runs once per centre, so tiering would leave the first passes (and the
    // helpers they call, uninlined) in tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void OfRows(ReadOnlySpan<double> rows, ReadOnlySpan<double> centre, Span<double> result, Span<double> scratch)
    {
        int p = centre.Length;
        int count = result.Length;
        if ((long)count * p > rows.Length || scratch.Length < ScratchLength(p))
        {
            throw new ArgumentException("The rows or the scratch are too short.");
        }

        int r = 0;
        if (Vectorized && p >= Lanes)
        {
            ref double x = ref MemoryMarshal.GetReference(rows);
            ref double packed = ref MemoryMarshal.GetReference(scratch);
            ref double c = ref MemoryMarshal.GetReference(centre);
            int ahead = StreamPrefetch.RowsAhead(p);
            for (; r + Lanes <= count; r += Lanes)
            {
                StreamPrefetch.Lines(ref x, (nint)(r + ahead) * p, Lanes * p);
                Lanes256.Pack(ref Unsafe.Add(ref x, r * p), p, ref packed);
                Block(ref packed, ref c, p).StoreUnsafe(ref MemoryMarshal.GetReference(result), (nuint)r);
            }
        }

        for (; r < count; r++)
        {
            result[r] = SquaredDistance.Between(rows.Slice(r * p, p), centre);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Vector256<double> Block(ref double packed, ref double c, int p)
    {
        var a00 = Vector256<double>.Zero; var a01 = a00; var a02 = a00; var a03 = a00;
        var a10 = a00; var a11 = a00; var a12 = a00; var a13 = a00;
        int j = 0;
        for (; j <= p - 8; j += 8)
        {
            ref double v = ref Unsafe.Add(ref packed, j * Lanes);
            ref double cj = ref Unsafe.Add(ref c, j);
            a00 += Square(ref v, 0, ref cj);
            a01 += Square(ref v, 1, ref cj);
            a02 += Square(ref v, 2, ref cj);
            a03 += Square(ref v, 3, ref cj);
            a10 += Square(ref v, 4, ref cj);
            a11 += Square(ref v, 5, ref cj);
            a12 += Square(ref v, 6, ref cj);
            a13 += Square(ref v, 7, ref cj);
        }

        if (j <= p - Lanes)
        {
            ref double v = ref Unsafe.Add(ref packed, j * Lanes);
            ref double cj = ref Unsafe.Add(ref c, j);
            a00 += Square(ref v, 0, ref cj);
            a01 += Square(ref v, 1, ref cj);
            a02 += Square(ref v, 2, ref cj);
            a03 += Square(ref v, 3, ref cj);
            j += Lanes;
        }

        var sum = ((a00 + a10) + (a01 + a11)) + ((a02 + a12) + (a03 + a13));
        var tail = Vector256<double>.Zero;
        for (; j < p; j++)
        {
            tail += Square(ref Unsafe.Add(ref packed, j * Lanes), 0, ref Unsafe.Add(ref c, j));
        }

        return sum + tail;
    }

    /// <summary>(column <paramref name="k"/> of the packed block − its coordinate)², rounded after the product.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Square(ref double v, int k, ref double c)
    {
        var d = Vector256.LoadUnsafe(ref v, (nuint)(k * Lanes)) - Vector256.Create(Unsafe.Add(ref c, k));
        return d * d;
    }
}
