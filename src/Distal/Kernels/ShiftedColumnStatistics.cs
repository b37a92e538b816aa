using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
namespace Distal.Kernels;

/// <summary>
/// One block's column statistics about a shift, in two passes over the (cached) block. The shift s is the block's
/// first row, so that data far from zero (1e8 + noise) lose nothing: the first pass takes extremes, the raw sums of
/// squares and the sums of dᵢ = xᵢ − s (exact while xᵢ is within a factor of two of s); the second takes the centered
/// sum of squares Σ(dᵢ − offset)² about the block mean s + offset. Columns are processed in strips of 16 (four
/// Vector256) down all the block's rows, so the 16 accumulators of a strip stay in registers instead of
/// round-tripping through memory once per row.
/// </summary>
internal sealed class ShiftedColumnStatistics(int columns)
{
    public double[] Minimum { get; } = new double[columns];

    public double[] Maximum { get; } = new double[columns];

    /// <summary>Raw column sums, n·s + Σdᵢ.</summary>
    public double[] Sum { get; } = new double[columns];

    /// <summary>Raw Σxᵢ².</summary>
    public double[] SumSquares { get; } = new double[columns];

    /// <summary>The shift s: the block's first row.</summary>
    public double[] Shift { get; } = new double[columns];

    /// <summary>The block mean − s.</summary>
    public double[] Offset { get; } = new double[columns];

    /// <summary>Σ(xᵢ − mean)².</summary>
    public double[] M2 { get; } = new double[columns];

    /// <summary>
    /// The strips are Vector256 code: they run when the process's vector width (<see cref="SimdWidths.Default"/>,
    /// which DISTAL_SIMD forces) is at least 256 bits; narrower widths take the scalar path.
    /// </summary>
    internal static bool UseVectors { get; } = SimdWidths.Default >= SimdWidth.Bits256;

    public void Compute(ReadOnlySpan<double> values, int rows, bool minMax, bool sums)
    {
        int p = Minimum.Length;
        ref double x = ref MemoryMarshal.GetReference(values);
        values[..p].CopyTo(Shift);
        int j = 0;
        if (UseVectors)
        {
            for (; j + 16 <= p; j += 16)
            {
                FirstPassStrip16(ref x, rows, p, j, minMax, sums);
            }

            for (; j + 4 <= p; j += 4)
            {
                FirstPassStrip4(ref x, rows, p, j, minMax, sums);
            }
        }

        for (; j < p; j++)
        {
            FirstPassColumn(ref x, rows, p, j);
        }

        if (!sums)
        {
            return;
        }

        // The first pass left Σdᵢ in Sum.
        double inverse = 1.0 / rows;
        for (int c = 0; c < p; c++)
        {
            Offset[c] = Sum[c] * inverse;
            Sum[c] = (rows * Shift[c]) + Sum[c];
        }

        j = 0;
        if (UseVectors)
        {
            for (; j + 16 <= p; j += 16)
            {
                CenteredStrip16(ref x, rows, p, j);
            }

            for (; j + 4 <= p; j += 4)
            {
                CenteredStrip4(ref x, rows, p, j);
            }
        }

        for (; j < p; j++)
        {
            double shift = Shift[j];
            double offset = Offset[j];
            double m2 = 0;
            for (int i = 0; i < rows; i++)
            {
                double d = (Unsafe.Add(ref x, (i * p) + j) - shift) - offset;
                m2 += d * d;
            }

            M2[j] = m2;
        }
    }

    // Compiled fully optimized at the first call: each is called a handful of times per block with long loops
    // inside, so in a short CLI run they otherwise ran as unoptimized tier-0 code (seen in a profile of
    // `distal low-order-moments` on a 388 MB CSV: ~5 % of the process's CPU time).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FirstPassStrip16(ref double x, int rows, int p, int j, bool minMax, bool sums)
    {
        ref double shift = ref Shift[j];
        var s0 = Vector256.LoadUnsafe(ref shift);
        var s1 = Vector256.LoadUnsafe(ref shift, 4);
        var s2 = Vector256.LoadUnsafe(ref shift, 8);
        var s3 = Vector256.LoadUnsafe(ref shift, 12);
        var min0 = Vector256.Create(double.PositiveInfinity);
        var (min1, min2, min3) = (min0, min0, min0);
        var max0 = Vector256.Create(double.NegativeInfinity);
        var (max1, max2, max3) = (max0, max0, max0);
        Vector256<double> sum0 = default, sum1 = default, sum2 = default, sum3 = default;
        Vector256<double> sq0 = default, sq1 = default, sq2 = default, sq3 = default;
        for (int i = 0; i < rows; i++)
        {
            nuint at = (nuint)((i * p) + j);
            var v0 = Vector256.LoadUnsafe(ref x, at);
            var v1 = Vector256.LoadUnsafe(ref x, at + 4);
            var v2 = Vector256.LoadUnsafe(ref x, at + 8);
            var v3 = Vector256.LoadUnsafe(ref x, at + 12);
            if (minMax)
            {
                min0 = Vector256.Min(min0, v0);
                min1 = Vector256.Min(min1, v1);
                min2 = Vector256.Min(min2, v2);
                min3 = Vector256.Min(min3, v3);
                max0 = Vector256.Max(max0, v0);
                max1 = Vector256.Max(max1, v1);
                max2 = Vector256.Max(max2, v2);
                max3 = Vector256.Max(max3, v3);
            }

            if (sums)
            {
                sum0 += v0 - s0;
                sum1 += v1 - s1;
                sum2 += v2 - s2;
                sum3 += v3 - s3;
                sq0 = Vector256.FusedMultiplyAdd(v0, v0, sq0);
                sq1 = Vector256.FusedMultiplyAdd(v1, v1, sq1);
                sq2 = Vector256.FusedMultiplyAdd(v2, v2, sq2);
                sq3 = Vector256.FusedMultiplyAdd(v3, v3, sq3);
            }
        }

        Store(Minimum, j, min0, min1, min2, min3);
        Store(Maximum, j, max0, max1, max2, max3);
        Store(Sum, j, sum0, sum1, sum2, sum3);
        Store(SumSquares, j, sq0, sq1, sq2, sq3);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FirstPassStrip4(ref double x, int rows, int p, int j, bool minMax, bool sums)
    {
        var shift = Vector256.Create<double>(Shift.AsSpan(j, 4));
        var min = Vector256.Create(double.PositiveInfinity);
        var max = Vector256.Create(double.NegativeInfinity);
        Vector256<double> sum = default, sq = default;
        for (int i = 0; i < rows; i++)
        {
            var v = Vector256.LoadUnsafe(ref x, (nuint)((i * p) + j));
            if (minMax)
            {
                min = Vector256.Min(min, v);
                max = Vector256.Max(max, v);
            }

            if (sums)
            {
                sum += v - shift;
                sq = Vector256.FusedMultiplyAdd(v, v, sq);
            }
        }

        min.CopyTo(Minimum.AsSpan(j));
        max.CopyTo(Maximum.AsSpan(j));
        sum.CopyTo(Sum.AsSpan(j));
        sq.CopyTo(SumSquares.AsSpan(j));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FirstPassColumn(ref double x, int rows, int p, int j)
    {
        double shift = Shift[j];
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0, sq = 0;
        for (int i = 0; i < rows; i++)
        {
            double v = Unsafe.Add(ref x, (i * p) + j);
            min = Math.Min(min, v);
            max = Math.Max(max, v);
            sum += v - shift;
            sq = Math.FusedMultiplyAdd(v, v, sq);
        }

        Minimum[j] = min;
        Maximum[j] = max;
        Sum[j] = sum;
        SumSquares[j] = sq;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CenteredStrip16(ref double x, int rows, int p, int j)
    {
        ref double shift = ref Shift[j];
        var s0 = Vector256.LoadUnsafe(ref shift);
        var s1 = Vector256.LoadUnsafe(ref shift, 4);
        var s2 = Vector256.LoadUnsafe(ref shift, 8);
        var s3 = Vector256.LoadUnsafe(ref shift, 12);
        ref double offset = ref Offset[j];
        var m0 = Vector256.LoadUnsafe(ref offset);
        var m1 = Vector256.LoadUnsafe(ref offset, 4);
        var m2 = Vector256.LoadUnsafe(ref offset, 8);
        var m3 = Vector256.LoadUnsafe(ref offset, 12);
        Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default;
        for (int i = 0; i < rows; i++)
        {
            nuint at = (nuint)((i * p) + j);
            var d0 = (Vector256.LoadUnsafe(ref x, at) - s0) - m0;
            var d1 = (Vector256.LoadUnsafe(ref x, at + 4) - s1) - m1;
            var d2 = (Vector256.LoadUnsafe(ref x, at + 8) - s2) - m2;
            var d3 = (Vector256.LoadUnsafe(ref x, at + 12) - s3) - m3;
            a0 = Vector256.FusedMultiplyAdd(d0, d0, a0);
            a1 = Vector256.FusedMultiplyAdd(d1, d1, a1);
            a2 = Vector256.FusedMultiplyAdd(d2, d2, a2);
            a3 = Vector256.FusedMultiplyAdd(d3, d3, a3);
        }

        Store(M2, j, a0, a1, a2, a3);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CenteredStrip4(ref double x, int rows, int p, int j)
    {
        var s = Vector256.Create<double>(Shift.AsSpan(j, 4));
        var m = Vector256.Create<double>(Offset.AsSpan(j, 4));
        Vector256<double> a = default;
        for (int i = 0; i < rows; i++)
        {
            var d = (Vector256.LoadUnsafe(ref x, (nuint)((i * p) + j)) - s) - m;
            a = Vector256.FusedMultiplyAdd(d, d, a);
        }

        a.CopyTo(M2.AsSpan(j));
    }

    private static void Store(double[] target, int j, Vector256<double> v0, Vector256<double> v1, Vector256<double> v2, Vector256<double> v3)
    {
        var span = target.AsSpan(j, 16);
        v0.CopyTo(span);
        v1.CopyTo(span[4..]);
        v2.CopyTo(span[8..]);
        v3.CopyTo(span[12..]);
    }
}
