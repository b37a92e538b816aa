using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Distal.Kernels;

/// <summary>
/// The arithmetic of Lloyd's bookkeeping for a block of rows whose nearest centroids are known: each row's squared
/// distance to its own centroid, from the differences (never negative, exactly 0 for a row on its centroid, where the
/// expanded ‖x‖² − 2x·c + ‖c‖² would leave about 1e-14·‖x‖²), the row added into its cluster's sums on the same
/// loads, and the distances added to a running total in row order.
/// </summary>
/// <remarks>
/// At 256 bits a row's distance is one fused chain of d·d over its whole four-column chunks, the chain's lanes added
/// as (l₀ + l₁) + (l₂ + l₃), then the d·d of the remaining columns added one by one. Four rows share one horizontal
/// reduction (two horizontal adds and a lane swap give the same pairwise sums as a single row's), so a row's distance
/// depends only on the row and its centroid: not on its place in the block, the thread or the rank. The sums take
/// the rows in row order, as a plain loop would. Narrower widths (<c>DISTAL_SIMD</c>) run one fused chain over the
/// columns in order.
/// </remarks>
internal static class AssignedDistances
{
    private static readonly bool Vectorized = SimdWidths.Default >= SimdWidth.Bits256 && Fma.IsSupported;

    /// <summary>
    /// Fills <paramref name="distances"/> with ‖xᵣ − c[nearestᵣ]‖² for the rows of <paramref name="rows"/> (row-major,
    /// <paramref name="columns"/> values), adds each row into its centroid's row of <paramref name="sums"/> (k × p;
    /// empty: no sums), and returns <paramref name="total"/> plus the distances, added in row order.
    /// </summary>
    public static double Compute(ReadOnlySpan<double> rows, ReadOnlySpan<int> nearest, ReadOnlySpan<double> centroids, Span<double> sums, Span<double> distances, int columns, double total)
    {
        int count = nearest.Length;
        if ((long)count * columns > rows.Length || distances.Length < count)
        {
            throw new ArgumentException("The rows or the distances are too short.");
        }

        bool add = !sums.IsEmpty;
        int k = centroids.Length / columns;
        if (add && sums.Length < centroids.Length)
        {
            throw new ArgumentException("The sums are shorter than the centroids.");
        }

        foreach (int j in nearest)
        {
            // The unchecked loads below rely on every index naming a centroid (and its row of sums).
            if ((uint)j >= (uint)k)
            {
                throw new ArgumentOutOfRangeException(nameof(nearest), "A nearest index names no centroid.");
            }
        }

        ref double x = ref MemoryMarshal.GetReference(rows);
        ref double c = ref MemoryMarshal.GetReference(centroids);
        ref double s = ref MemoryMarshal.GetReference(sums);
        ref int near = ref MemoryMarshal.GetReference(nearest);
        ref double d = ref MemoryMarshal.GetReference(distances);
        return (Vectorized, add) switch
        {
            (true, true) => Vector<On>(ref x, ref near, ref c, ref s, ref d, count, columns, total),
            (true, false) => Vector<Off>(ref x, ref near, ref c, ref s, ref d, count, columns, total),
            (false, true) => Scalar<On>(ref x, ref near, ref c, ref s, ref d, count, columns, total),
            (false, false) => Scalar<Off>(ref x, ref near, ref c, ref s, ref d, count, columns, total),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Vector<TAdd>(ref double x, ref int nearest, ref double c, ref double sums, ref double distances, int count, int p, double total)
        where TAdd : struct, IFlag
    {
        int whole = p & ~3;
        int r = 0;
        for (; r + 4 <= count; r += 4)
        {
            ref double row = ref Unsafe.Add(ref x, r * p);
            var a0 = Chain<TAdd>(ref row, ref c, ref sums, Unsafe.Add(ref nearest, r) * p, whole);
            row = ref Unsafe.Add(ref row, p);
            var a1 = Chain<TAdd>(ref row, ref c, ref sums, Unsafe.Add(ref nearest, r + 1) * p, whole);
            row = ref Unsafe.Add(ref row, p);
            var a2 = Chain<TAdd>(ref row, ref c, ref sums, Unsafe.Add(ref nearest, r + 2) * p, whole);
            row = ref Unsafe.Add(ref row, p);
            var a3 = Chain<TAdd>(ref row, ref c, ref sums, Unsafe.Add(ref nearest, r + 3) * p, whole);

            // Lane i of the result: (aᵢ₀ + aᵢ₁) + (aᵢ₂ + aᵢ₃).
            var h01 = Avx.HorizontalAdd(a0, a1);
            var h23 = Avx.HorizontalAdd(a2, a3);
            var four = Avx.Permute2x128(h01, h23, 0x20) + Avx.Permute2x128(h01, h23, 0x31);
            four.StoreUnsafe(ref distances, (nuint)r);
            if (whole < p)
            {
                for (int i = 0; i < 4; i++)
                {
                    Unsafe.Add(ref distances, r + i) += Tail<TAdd>(ref Unsafe.Add(ref x, (r + i) * p), ref c, ref sums, Unsafe.Add(ref nearest, r + i) * p, whole, p);
                }
            }

            total += Unsafe.Add(ref distances, r);
            total += Unsafe.Add(ref distances, r + 1);
            total += Unsafe.Add(ref distances, r + 2);
            total += Unsafe.Add(ref distances, r + 3);
        }

        for (; r < count; r++)
        {
            ref double row = ref Unsafe.Add(ref x, r * p);
            int at = Unsafe.Add(ref nearest, r) * p;
            var a = Chain<TAdd>(ref row, ref c, ref sums, at, whole);
            double distance = (a.GetElement(0) + a.GetElement(1)) + (a.GetElement(2) + a.GetElement(3));
            if (whole < p)
            {
                distance += Tail<TAdd>(ref row, ref c, ref sums, at, whole, p);
            }

            Unsafe.Add(ref distances, r) = distance;
            total += distance;
        }

        return total;
    }

    /// <summary>
    /// One fused chain of d·d over the whole four-column chunks of a row against the centroid at offset
    /// <paramref name="at"/>, adding the row into the sums at the same offset.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Chain<TAdd>(ref double x, ref double c, ref double sums, int at, int whole)
        where TAdd : struct, IFlag
    {
        ref double centroid = ref Unsafe.Add(ref c, at);
        ref double sum = ref Unsafe.Add(ref sums, TAdd.Value ? at : 0);
        var acc = Vector256<double>.Zero;
        for (int j = 0; j < whole; j += 4)
        {
            var v = Vector256.LoadUnsafe(ref x, (nuint)j);
            if (TAdd.Value)
            {
                (Vector256.LoadUnsafe(ref sum, (nuint)j) + v).StoreUnsafe(ref sum, (nuint)j);
            }

            var difference = v - Vector256.LoadUnsafe(ref centroid, (nuint)j);
            acc = Vector256.FusedMultiplyAdd(difference, difference, acc);
        }

        return acc;
    }

    /// <summary>The d·d of columns [<paramref name="from"/>, <paramref name="p"/>), added one by one; the row added into its sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Tail<TAdd>(ref double x, ref double c, ref double sums, int at, int from, int p)
        where TAdd : struct, IFlag
    {
        ref double centroid = ref Unsafe.Add(ref c, at);
        ref double sum = ref Unsafe.Add(ref sums, TAdd.Value ? at : 0);
        double tail = 0;
        for (int j = from; j < p; j++)
        {
            double v = Unsafe.Add(ref x, j);
            if (TAdd.Value)
            {
                Unsafe.Add(ref sum, j) += v;
            }

            double difference = v - Unsafe.Add(ref centroid, j);
            tail = Math.FusedMultiplyAdd(difference, difference, tail);
        }

        return tail;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Scalar<TAdd>(ref double x, ref int nearest, ref double c, ref double sums, ref double distances, int count, int p, double total)
        where TAdd : struct, IFlag
    {
        for (int r = 0; r < count; r++)
        {
            double distance = Tail<TAdd>(ref Unsafe.Add(ref x, r * p), ref c, ref sums, Unsafe.Add(ref nearest, r) * p, 0, p);
            Unsafe.Add(ref distances, r) = distance;
            total += distance;
        }

        return total;
    }
}
