using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Distal.Kernels;

/// <summary>
/// The operations of the lanes-over-rows kernels (<see cref="NearestCentroidLanes"/>), one struct per vector width, so
/// one generic kernel compiles to a loop per width. Unlike <see cref="IVectorArithmetic{TVector}"/> the multiply-add
/// is always fused (the scalar one too), so every width gives every row bitwise the same values.
/// </summary>
internal interface ILaneOps<TV>
    where TV : struct
{
    /// <summary>Rows per vector.</summary>
    static abstract int Count { get; }

    static abstract TV Zero { get; }

    static abstract TV Load(ref double source);

    static abstract TV Broadcast(double value);

    /// <summary>a·b + c with one rounding.</summary>
    static abstract TV Fma(TV a, TV b, TV c);

    /// <summary>Per lane: where <paramref name="value"/> &lt; best (strictly), best ← value and index ← <paramref name="candidate"/>.</summary>
    static abstract void KeepLess(TV value, int candidate, ref TV best, ref TV index);

    /// <summary>Writes the Count lanes of an index vector (whole numbers) as integers.</summary>
    static abstract void StoreIndices(TV index, ref int destination);

    /// <summary>Count rows of <paramref name="columns"/> values (row-major at <paramref name="rows"/>) into columns × Count at <paramref name="packed"/>.</summary>
    static abstract void Pack(ref double rows, int columns, ref double packed);
}

/// <summary>Packing and grouping shared by the lanes-over-rows kernels.</summary>
internal static class LanePacking
{
    /// <summary>
    /// Starts of the groups of at most <paramref name="maxGroup"/> of <paramref name="count"/> centres, as even as
    /// possible (17 as 9 + 8, not 12 + 5), so every pass keeps enough independent chains; one more entry ends the last.
    /// </summary>
    public static int[] EvenGroupStarts(int count, int maxGroup)
    {
        int groups = (count + maxGroup - 1) / maxGroup;
        var starts = new int[groups + 1];
        for (int g = 0; g <= groups; g++)
        {
            starts[g] = count * g / groups;
        }

        return starts;
    }

    /// <summary>
    /// <paramref name="count"/> centres of <paramref name="columns"/> coordinates (row-major) as columns × count: the
    /// coordinates one column broadcasts are adjacent, so a block's broadcasts walk one line.
    /// </summary>
    public static double[] ColumnMajor(ReadOnlySpan<double> centres, int count, int columns)
    {
        var coordinates = new double[columns * count];
        for (int t = 0; t < count; t++)
        {
            for (int c = 0; c < columns; c++)
            {
                coordinates[(c * count) + t] = centres[(t * columns) + c];
            }
        }

        return coordinates;
    }

    /// <summary>
    /// The last <paramref name="left"/> (&lt; <paramref name="lanes"/>) rows at <paramref name="rows"/> packed like a
    /// full block, columns × lanes; the missing lanes repeat the last row (lanes never mix, so the real lanes get
    /// exactly the values they would get in a full block).
    /// </summary>
    public static void PackLast(ref double rows, int left, int columns, int lanes, ref double packed)
    {
        for (int lane = 0; lane < lanes; lane++)
        {
            ref double row = ref Unsafe.Add(ref rows, Math.Min(lane, left - 1) * columns);
            for (int c = 0; c < columns; c++)
            {
                Unsafe.Add(ref packed, (c * lanes) + lane) = Unsafe.Add(ref row, c);
            }
        }
    }

    /// <summary>
    /// Subtracts <paramref name="shift"/>[c] from the <paramref name="lanes"/> values of each column c of a packed block
    /// (columns × lanes). One exact-rounded subtraction per value, the same at every width.
    /// </summary>
    public static void SubtractShift(ref double packed, ReadOnlySpan<double> shift, int lanes)
    {
        int columns = shift.Length;
        ref double s = ref MemoryMarshal.GetReference(shift);
        if (lanes == 4 && Vector256.IsHardwareAccelerated)
        {
            for (int c = 0; c < columns; c++)
            {
                (Vector256.LoadUnsafe(ref packed, (nuint)(4 * c)) - Vector256.Create(Unsafe.Add(ref s, c))).StoreUnsafe(ref packed, (nuint)(4 * c));
            }

            return;
        }

        for (int c = 0; c < columns; c++)
        {
            double value = Unsafe.Add(ref s, c);
            for (int lane = 0; lane < lanes; lane++)
            {
                Unsafe.Add(ref packed, (c * lanes) + lane) -= value;
            }
        }
    }
}

/// <summary>A compile-time count (the generic kernels unroll on it).</summary>
internal interface ICount
{
    static abstract int Value { get; }
}

/// <summary>A compile-time switch (the generic kernels drop the code it turns off).</summary>
internal interface IFlag
{
    static abstract bool Value { get; }
}

internal readonly struct On : IFlag { public static bool Value => true; }

internal readonly struct Off : IFlag { public static bool Value => false; }

internal readonly struct N1 : ICount { public static int Value => 1; }

internal readonly struct N2 : ICount { public static int Value => 2; }

internal readonly struct N3 : ICount { public static int Value => 3; }

internal readonly struct N4 : ICount { public static int Value => 4; }

internal readonly struct N5 : ICount { public static int Value => 5; }

internal readonly struct N6 : ICount { public static int Value => 6; }

internal readonly struct N7 : ICount { public static int Value => 7; }

internal readonly struct N8 : ICount { public static int Value => 8; }

internal readonly struct N9 : ICount { public static int Value => 9; }

internal readonly struct N10 : ICount { public static int Value => 10; }

internal readonly struct N11 : ICount { public static int Value => 11; }

internal readonly struct N12 : ICount { public static int Value => 12; }

internal readonly struct Lanes256 : ILaneOps<Vector256<double>>
{
    public static int Count => 4;

    public static Vector256<double> Zero => Vector256<double>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Load(ref double source) => Vector256.LoadUnsafe(ref source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Broadcast(double value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Fma(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Vector256.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void KeepLess(Vector256<double> value, int candidate, ref Vector256<double> best, ref Vector256<double> index)
    {
        var less = Vector256.LessThan(value, best);
        best = Vector256.ConditionalSelect(less, value, best);
        index = Vector256.ConditionalSelect(less, Vector256.Create((double)candidate), index);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreIndices(Vector256<double> index, ref int destination)
    {
        if (Avx.IsSupported)
        {
            Avx.ConvertToVector128Int32WithTruncation(index).StoreUnsafe(ref destination);
            return;
        }

        for (int lane = 0; lane < 4; lane++)
        {
            Unsafe.Add(ref destination, lane) = (int)index.GetElement(lane);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Pack(ref double rows, int columns, ref double packed)
    {
        ref double r1 = ref Unsafe.Add(ref rows, columns);
        ref double r2 = ref Unsafe.Add(ref rows, 2 * columns);
        ref double r3 = ref Unsafe.Add(ref rows, 3 * columns);
        int c = 0;
        if (Avx.IsSupported)
        {
            // 4 × 4 transposes: two unpacks pair the rows' even and odd columns, two lane swaps finish the columns.
            for (; c + 4 <= columns; c += 4)
            {
                var a = Vector256.LoadUnsafe(ref rows, (nuint)c);
                var b = Vector256.LoadUnsafe(ref r1, (nuint)c);
                var d = Vector256.LoadUnsafe(ref r2, (nuint)c);
                var e = Vector256.LoadUnsafe(ref r3, (nuint)c);
                var ab0 = Avx.UnpackLow(a, b);
                var ab1 = Avx.UnpackHigh(a, b);
                var de0 = Avx.UnpackLow(d, e);
                var de1 = Avx.UnpackHigh(d, e);
                ref double target = ref Unsafe.Add(ref packed, 4 * c);
                Avx.Permute2x128(ab0, de0, 0x20).StoreUnsafe(ref target);
                Avx.Permute2x128(ab1, de1, 0x20).StoreUnsafe(ref target, 4);
                Avx.Permute2x128(ab0, de0, 0x31).StoreUnsafe(ref target, 8);
                Avx.Permute2x128(ab1, de1, 0x31).StoreUnsafe(ref target, 12);
            }
        }

        for (; c < columns; c++)
        {
            Vector256.Create(Unsafe.Add(ref rows, c), Unsafe.Add(ref r1, c), Unsafe.Add(ref r2, c), Unsafe.Add(ref r3, c)).StoreUnsafe(ref packed, (nuint)(4 * c));
        }
    }
}

internal readonly struct Lanes128 : ILaneOps<Vector128<double>>
{
    public static int Count => 2;

    public static Vector128<double> Zero => Vector128<double>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Load(ref double source) => Vector128.LoadUnsafe(ref source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Broadcast(double value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Fma(Vector128<double> a, Vector128<double> b, Vector128<double> c) => Vector128.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void KeepLess(Vector128<double> value, int candidate, ref Vector128<double> best, ref Vector128<double> index)
    {
        var less = Vector128.LessThan(value, best);
        best = Vector128.ConditionalSelect(less, value, best);
        index = Vector128.ConditionalSelect(less, Vector128.Create((double)candidate), index);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreIndices(Vector128<double> index, ref int destination)
    {
        destination = (int)index.GetElement(0);
        Unsafe.Add(ref destination, 1) = (int)index.GetElement(1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Pack(ref double rows, int columns, ref double packed)
    {
        ref double r1 = ref Unsafe.Add(ref rows, columns);
        for (int c = 0; c < columns; c++)
        {
            Vector128.Create(Unsafe.Add(ref rows, c), Unsafe.Add(ref r1, c)).StoreUnsafe(ref packed, (nuint)(2 * c));
        }
    }
}

internal readonly struct LanesScalar : ILaneOps<double>
{
    public static int Count => 1;

    public static double Zero => 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Load(ref double source) => source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Broadcast(double value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Fma(double a, double b, double c) => Math.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void KeepLess(double value, int candidate, ref double best, ref double index)
    {
        if (value < best)
        {
            best = value;
            index = candidate;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreIndices(double index, ref int destination) => destination = (int)index;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Pack(ref double rows, int columns, ref double packed)
    {
        for (int c = 0; c < columns; c++)
        {
            Unsafe.Add(ref packed, c) = Unsafe.Add(ref rows, c);
        }
    }
}
