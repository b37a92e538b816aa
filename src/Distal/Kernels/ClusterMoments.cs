using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Distal.Kernels;

/// <summary>
/// One cluster's running moments, updated one row at a time as rows join or leave it: the sum of its rows as a
/// double-double (hi + lo, each update a two-sum, so the sum stays exact to about 2⁻¹⁰⁶ of its size however many rows
/// come and go, and rows with a large common offset keep their small differences), and its mean and scatter
/// Σ‖x − mean‖² by Welford's updates (differences from the running mean, never from an offset: no cancellation).
/// With them Σ‖x − c‖² over the cluster's rows, for any c, is scatter + count·‖mean − c‖². The rows are taken minus a
/// fixed shift (each update subtracts it as it loads the row), so the moments stay at the size of the rows' spread.
/// </summary>
/// <remarks>
/// The columns run in 4-wide vectors, then one by one; the scatter's increment is the vector's lanes added pairwise,
/// then the rest in order: one fixed order, so equal sequences of updates give equal moments bit for bit.
/// </remarks>
internal static class ClusterMoments
{
    private static readonly bool Vectorized = SimdWidths.Default >= SimdWidth.Bits256;

    /// <summary>
    /// Adds <paramref name="row"/> − <paramref name="shift"/> to a cluster of <paramref name="count"/> rows (before the
    /// update) whose sum is (<paramref name="sumHi"/>, <paramref name="sumLo"/>), mean <paramref name="mean"/> and
    /// scatter <paramref name="scatter"/>.
    /// </summary>
    public static void Add(ReadOnlySpan<double> row, ReadOnlySpan<double> shift, Span<double> sumHi, Span<double> sumLo, Span<double> mean, ref double scatter, long count)
    {
        int p = Check(row, shift, sumHi, sumLo, mean);
        double step = 1.0 / (count + 1);
        scatter += Update(ref MemoryMarshal.GetReference(row), ref MemoryMarshal.GetReference(shift), ref MemoryMarshal.GetReference(sumHi), ref MemoryMarshal.GetReference(sumLo), ref MemoryMarshal.GetReference(mean), p, step, 1);
    }

    /// <summary>
    /// Removes <paramref name="row"/> − <paramref name="shift"/>, one of its rows, from a cluster of
    /// <paramref name="count"/> rows (before the update). The last row's removal leaves every moment at exactly 0.
    /// </summary>
    public static void Remove(ReadOnlySpan<double> row, ReadOnlySpan<double> shift, Span<double> sumHi, Span<double> sumLo, Span<double> mean, ref double scatter, long count)
    {
        int p = Check(row, shift, sumHi, sumLo, mean);
        if (count <= 1)
        {
            sumHi[..p].Clear();
            sumLo[..p].Clear();
            mean[..p].Clear();
            scatter = 0;
            return;
        }

        // Welford backwards: mean' = mean − (x − mean)/(n − 1), scatter' = scatter − (x − mean)·(x − mean'); rounding
        // can take a nearly empty cluster's scatter a hair below 0, which no sum of squares is.
        double step = -1.0 / (count - 1);
        scatter = Math.Max(0, scatter - Update(ref MemoryMarshal.GetReference(row), ref MemoryMarshal.GetReference(shift), ref MemoryMarshal.GetReference(sumHi), ref MemoryMarshal.GetReference(sumLo), ref MemoryMarshal.GetReference(mean), p, step, -1));
    }

    private static int Check(ReadOnlySpan<double> row, ReadOnlySpan<double> shift, Span<double> sumHi, Span<double> sumLo, Span<double> mean)
    {
        int p = row.Length;
        if (shift.Length < p || sumHi.Length < p || sumLo.Length < p || mean.Length < p)
        {
            throw new ArgumentException("The moments are shorter than the row.");
        }

        return p;
    }

    /// <summary>
    /// With x the row minus the shift: sum ± x (two-sums), mean += (x − mean)·step, and returns
    /// Σ (x − mean_before)·(x − mean_after), the scatter's change in size.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Update(ref double row, ref double shift, ref double hi, ref double lo, ref double mean, int p, double step, double sign)
    {
        int whole = Vectorized ? p & ~3 : 0;
        double change = 0;
        if (whole > 0)
        {
            var stepV = Vector256.Create(step);
            var signV = Vector256.Create(sign);
            var acc = Vector256<double>.Zero;
            for (int c = 0; c < whole; c += 4)
            {
                var v = Vector256.LoadUnsafe(ref row, (nuint)c) - Vector256.LoadUnsafe(ref shift, (nuint)c);
                var signed = v * signV;
                var h = Vector256.LoadUnsafe(ref hi, (nuint)c);
                var s = h + signed;
                var back = s - h;
                var error = (h - (s - back)) + (signed - back);
                s.StoreUnsafe(ref hi, (nuint)c);
                (Vector256.LoadUnsafe(ref lo, (nuint)c) + error).StoreUnsafe(ref lo, (nuint)c);

                var m = Vector256.LoadUnsafe(ref mean, (nuint)c);
                var d = v - m;
                var after = Vector256.FusedMultiplyAdd(d, stepV, m);
                after.StoreUnsafe(ref mean, (nuint)c);
                acc = Vector256.FusedMultiplyAdd(d, v - after, acc);
            }

            change = (acc.GetElement(0) + acc.GetElement(1)) + (acc.GetElement(2) + acc.GetElement(3));
        }

        for (int c = whole; c < p; c++)
        {
            double v = Unsafe.Add(ref row, c) - Unsafe.Add(ref shift, c);
            double signed = v * sign;
            double h = Unsafe.Add(ref hi, c);
            double s = h + signed;
            double back = s - h;
            Unsafe.Add(ref lo, c) += (h - (s - back)) + (signed - back);
            Unsafe.Add(ref hi, c) = s;

            double m = Unsafe.Add(ref mean, c);
            double d = v - m;
            double after = Math.FusedMultiplyAdd(d, step, m);
            Unsafe.Add(ref mean, c) = after;
            change = Math.FusedMultiplyAdd(d, v - after, change);
        }

        return change;
    }
}
