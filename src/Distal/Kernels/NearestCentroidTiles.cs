using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Distal.Kernels;

/// <summary>
/// Nearest centroid for few clusters (k ≤ <see cref="MaxClusters"/>) without materialising X·Cᵀ: the centroids are
/// held transposed (p × k padded to whole Vector256s) and the k values ‖c‖² − 2x·c of four rows at a time accumulate
/// on a 4-row × (k/4)-vector register tile (X·Cᵀ blocked in registers), followed by a vector argmin per row. For k = 10, p = 20 this does the distance step in one pass at 1.6–2× the speed
/// of a general X·Cᵀ product on 256-row blocks plus a separate argmin (measured on the 2-core Zen 4 VM; the general
/// product is tuned for wide outputs, here only 10 columns wide). Larger k uses <see cref="IDenseKernels.MultiplyTransposed"/>.
/// </summary>
internal sealed class NearestCentroidTiles
{
    public const int MaxClusters = 4 * 4;

    private static readonly bool Vectorized = SimdWidths.Default >= SimdWidth.Bits256;

    private readonly double[] _transposed;
    private readonly double[] _paddedNorms;
    private readonly int _vectors;
    private readonly int _columns;

    /// <summary>
    /// Whether the fused path applies to <paramref name="clusters"/> clusters: the process's vector width (DISTAL_SIMD)
    /// is at least 256 bits, so the forced scalar and 128-bit runs test the general path.
    /// </summary>
    public static bool Applies(int clusters) => Vectorized && clusters <= MaxClusters;

    public NearestCentroidTiles(ReadOnlySpan<double> centroids, ReadOnlySpan<double> norms, int clusters, int columns)
    {
        _columns = columns;
        _vectors = (clusters + Vector256<double>.Count - 1) / Vector256<double>.Count;
        int padded = _vectors * Vector256<double>.Count;
        _transposed = new double[columns * padded];
        _paddedNorms = new double[padded];
        _paddedNorms.AsSpan().Fill(double.PositiveInfinity);
        for (int j = 0; j < clusters; j++)
        {
            _paddedNorms[j] = norms[j];
            for (int c = 0; c < columns; c++)
            {
                _transposed[(c * padded) + j] = centroids[(j * columns) + c];
            }
        }
    }

    /// <summary>The index of the centroid minimising ‖c‖² − 2x·c for row <paramref name="x"/>; ties to the lowest index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Nearest(ReadOnlySpan<double> x) => _vectors switch
    {
        1 => NearestRows<One, OneRow>(ref MemoryMarshal.GetReference(x), out _, out _, out _),
        2 => NearestRows<Two, OneRow>(ref MemoryMarshal.GetReference(x), out _, out _, out _),
        3 => NearestRows<Three, OneRow>(ref MemoryMarshal.GetReference(x), out _, out _, out _),
        _ => NearestWide(x),
    };

    /// <summary>
    /// The nearest centroids of <paramref name="result"/>.Length consecutive rows of <paramref name="rows"/>
    /// (row-major), four rows at a time on a register tile: each step loads one column of the transposed centroids
    /// once for four rows, so the loads no longer outnumber the multiply-adds. Every row gets exactly the value
    /// <see cref="Nearest"/> gives it (the same sums in the same order), whatever its position in a tile.
    /// </summary>
    public void NearestOfRows(ReadOnlySpan<double> rows, Span<int> result)
    {
        int count = result.Length;
        int r = 0;
        if (_vectors <= 3)
        {
            ref double x = ref MemoryMarshal.GetReference(rows);
            for (; r + 4 <= count; r += 4)
            {
                ref double block = ref Unsafe.Add(ref x, r * _columns);
                int first, second, third, fourth;
                switch (_vectors)
                {
                    case 1: first = NearestRows<One, FourRows>(ref block, out second, out third, out fourth); break;
                    case 2: first = NearestRows<Two, FourRows>(ref block, out second, out third, out fourth); break;
                    default: first = NearestRows<Three, FourRows>(ref block, out second, out third, out fourth); break;
                }

                result[r] = first;
                result[r + 1] = second;
                result[r + 2] = third;
                result[r + 3] = fourth;
            }
        }

        for (; r < count; r++)
        {
            result[r] = Nearest(rows.Slice(r * _columns, _columns));
        }
    }

    /// <summary>
    /// One or four rows (<typeparamref name="TRows"/>) against up to 12 centroids (<typeparamref name="TWidth"/>
    /// vectors): x·c summed over the columns in order, one chain per accumulator. With four rows the 12 independent
    /// chains hide the multiply-add latency; a single row (the remainder of a block) is latency bound but rare.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int NearestRows<TWidth, TRows>(ref double x, out int second, out int third, out int fourth)
        where TWidth : struct, IVectorCount
        where TRows : struct, IVectorCount
    {
        int n = TWidth.Count;
        bool four = TRows.Count == 4;
        int p = _columns;
        int stride = n * Vector256<double>.Count;
        ref double t = ref MemoryMarshal.GetArrayDataReference(_transposed);
        Vector256<double> a00 = default, a01 = default, a02 = default;
        Vector256<double> a10 = default, a11 = default, a12 = default;
        Vector256<double> a20 = default, a21 = default, a22 = default;
        Vector256<double> a30 = default, a31 = default, a32 = default;
        for (int c = 0; c < p; c++)
        {
            ref double column = ref Unsafe.Add(ref t, c * stride);
            var c0 = Vector256.LoadUnsafe(ref column);
            var c1 = n > 1 ? Vector256.LoadUnsafe(ref column, 4u) : default;
            var c2 = n > 2 ? Vector256.LoadUnsafe(ref column, 8u) : default;
            var x0 = Vector256.Create(Unsafe.Add(ref x, c));
            a00 = Vector256.FusedMultiplyAdd(x0, c0, a00);
            a01 = n > 1 ? Vector256.FusedMultiplyAdd(x0, c1, a01) : a01;
            a02 = n > 2 ? Vector256.FusedMultiplyAdd(x0, c2, a02) : a02;
            if (four)
            {
                var x1 = Vector256.Create(Unsafe.Add(ref x, p + c));
                a10 = Vector256.FusedMultiplyAdd(x1, c0, a10);
                a11 = n > 1 ? Vector256.FusedMultiplyAdd(x1, c1, a11) : a11;
                a12 = n > 2 ? Vector256.FusedMultiplyAdd(x1, c2, a12) : a12;
                var x2 = Vector256.Create(Unsafe.Add(ref x, (2 * p) + c));
                a20 = Vector256.FusedMultiplyAdd(x2, c0, a20);
                a21 = n > 1 ? Vector256.FusedMultiplyAdd(x2, c1, a21) : a21;
                a22 = n > 2 ? Vector256.FusedMultiplyAdd(x2, c2, a22) : a22;
                var x3 = Vector256.Create(Unsafe.Add(ref x, (3 * p) + c));
                a30 = Vector256.FusedMultiplyAdd(x3, c0, a30);
                a31 = n > 1 ? Vector256.FusedMultiplyAdd(x3, c1, a31) : a31;
                a32 = n > 2 ? Vector256.FusedMultiplyAdd(x3, c2, a32) : a32;
            }
        }

        ref double norms = ref MemoryMarshal.GetArrayDataReference(_paddedNorms);
        var n0 = Vector256.LoadUnsafe(ref norms);
        var n1 = n > 1 ? Vector256.LoadUnsafe(ref norms, 4u) : default;
        var n2 = n > 2 ? Vector256.LoadUnsafe(ref norms, 8u) : default;
        second = four ? ArgMin<TWidth>(a10, a11, a12, n0, n1, n2) : 0;
        third = four ? ArgMin<TWidth>(a20, a21, a22, n0, n1, n2) : 0;
        fourth = four ? ArgMin<TWidth>(a30, a31, a32, n0, n1, n2) : 0;
        return ArgMin<TWidth>(a00, a01, a02, n0, n1, n2);
    }

    /// <summary>argmin over the lanes of ‖c‖² − 2x·c; ties to the lowest index (padding lanes have ‖c‖² = +∞).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ArgMin<TWidth>(Vector256<double> a0, Vector256<double> a1, Vector256<double> a2, Vector256<double> n0, Vector256<double> n1, Vector256<double> n2)
        where TWidth : struct, IVectorCount
    {
        int n = TWidth.Count;
        var minusTwo = Vector256.Create(-2.0);
        var infinity = Vector256.Create(double.PositiveInfinity);
        var v0 = Vector256.FusedMultiplyAdd(minusTwo, a0, n0);
        var v1 = n > 1 ? Vector256.FusedMultiplyAdd(minusTwo, a1, n1) : infinity;
        var v2 = n > 2 ? Vector256.FusedMultiplyAdd(minusTwo, a2, n2) : infinity;
        var m = Vector256.Min(Vector256.Min(v0, v1), v2);
        double min = Math.Min(Math.Min(m.GetElement(0), m.GetElement(1)), Math.Min(m.GetElement(2), m.GetElement(3)));
        var target = Vector256.Create(min);
        uint mask = Vector256.Equals(v0, target).ExtractMostSignificantBits()
            | (Vector256.Equals(v1, target).ExtractMostSignificantBits() << 4)
            | (Vector256.Equals(v2, target).ExtractMostSignificantBits() << 8);

        // A NaN value (from non-finite input) matches nothing: fall back to the first centroid like the general path.
        return mask == 0 ? 0 : BitOperations.TrailingZeroCount(mask);
    }

    /// <summary>13–16 centroids (four vectors) for one row, even and odd columns in separate chains.</summary>
    private int NearestWide(ReadOnlySpan<double> x)
    {
        const int n = 4;
        int stride = n * Vector256<double>.Count;
        ref double t = ref MemoryMarshal.GetArrayDataReference(_transposed);
        ref double xr = ref MemoryMarshal.GetReference(x);
        // Even and odd columns accumulate separately: one chain of p dependent FMAs per register was the bottleneck
        // (FMA latency 4 cycles: ~27 ns per row for p = 20); two chains of p/2 halve it.
        var a0 = Vector256<double>.Zero;
        var a1 = Vector256<double>.Zero;
        var a2 = Vector256<double>.Zero;
        var a3 = Vector256<double>.Zero;
        var b0 = Vector256<double>.Zero;
        var b1 = Vector256<double>.Zero;
        var b2 = Vector256<double>.Zero;
        var b3 = Vector256<double>.Zero;
        int c = 0;
        for (; c + 1 < _columns; c += 2)
        {
            var xc = Vector256.Create(Unsafe.Add(ref xr, c));
            var xd = Vector256.Create(Unsafe.Add(ref xr, c + 1));
            ref double row = ref Unsafe.Add(ref t, c * stride);
            ref double next = ref Unsafe.Add(ref t, (c + 1) * stride);
            a0 = Vector256.FusedMultiplyAdd(xc, Vector256.LoadUnsafe(ref row), a0);
            b0 = Vector256.FusedMultiplyAdd(xd, Vector256.LoadUnsafe(ref next), b0);
            a1 = Vector256.FusedMultiplyAdd(xc, Vector256.LoadUnsafe(ref row, 4u), a1);
            b1 = Vector256.FusedMultiplyAdd(xd, Vector256.LoadUnsafe(ref next, 4u), b1);
            a2 = Vector256.FusedMultiplyAdd(xc, Vector256.LoadUnsafe(ref row, 8u), a2);
            b2 = Vector256.FusedMultiplyAdd(xd, Vector256.LoadUnsafe(ref next, 8u), b2);
            a3 = Vector256.FusedMultiplyAdd(xc, Vector256.LoadUnsafe(ref row, 12u), a3);
            b3 = Vector256.FusedMultiplyAdd(xd, Vector256.LoadUnsafe(ref next, 12u), b3);
        }

        if (c < _columns)
        {
            var xc = Vector256.Create(Unsafe.Add(ref xr, c));
            ref double row = ref Unsafe.Add(ref t, c * stride);
            a0 = Vector256.FusedMultiplyAdd(xc, Vector256.LoadUnsafe(ref row), a0);
            a1 = Vector256.FusedMultiplyAdd(xc, Vector256.LoadUnsafe(ref row, 4u), a1);
            a2 = Vector256.FusedMultiplyAdd(xc, Vector256.LoadUnsafe(ref row, 8u), a2);
            a3 = Vector256.FusedMultiplyAdd(xc, Vector256.LoadUnsafe(ref row, 12u), a3);
        }

        a0 += b0;
        a1 += b1;
        a2 += b2;
        a3 += b3;

        ref double norms = ref MemoryMarshal.GetArrayDataReference(_paddedNorms);
        var minusTwo = Vector256.Create(-2.0);
        var v0 = Vector256.FusedMultiplyAdd(minusTwo, a0, Vector256.LoadUnsafe(ref norms));
        var v1 = Vector256.FusedMultiplyAdd(minusTwo, a1, Vector256.LoadUnsafe(ref norms, 4u));
        var v2 = Vector256.FusedMultiplyAdd(minusTwo, a2, Vector256.LoadUnsafe(ref norms, 8u));
        var v3 = Vector256.FusedMultiplyAdd(minusTwo, a3, Vector256.LoadUnsafe(ref norms, 12u));
        var m = Vector256.Min(Vector256.Min(v0, v1), Vector256.Min(v2, v3));
        double min = Math.Min(Math.Min(m.GetElement(0), m.GetElement(1)), Math.Min(m.GetElement(2), m.GetElement(3)));
        var target = Vector256.Create(min);
        uint mask = Vector256.Equals(v0, target).ExtractMostSignificantBits()
            | (Vector256.Equals(v1, target).ExtractMostSignificantBits() << 4)
            | (Vector256.Equals(v2, target).ExtractMostSignificantBits() << 8)
            | (Vector256.Equals(v3, target).ExtractMostSignificantBits() << 12);
        return mask == 0 ? 0 : BitOperations.TrailingZeroCount(mask);
    }

    private interface IVectorCount
    {
        static abstract int Count { get; }
    }

    private readonly struct One : IVectorCount
    {
        public static int Count => 1;
    }

    private readonly struct Two : IVectorCount
    {
        public static int Count => 2;
    }

    private readonly struct Three : IVectorCount
    {
        public static int Count => 3;
    }

    private readonly struct OneRow : IVectorCount
    {
        public static int Count => 1;
    }

    private readonly struct FourRows : IVectorCount
    {
        public static int Count => 4;
    }
}
