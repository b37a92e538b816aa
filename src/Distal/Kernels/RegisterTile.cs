using System.Runtime.CompilerServices;

namespace Distal.Kernels;

// Each kernel keeps a 4 × (vectors) block of C in registers while it walks the shared dimension, reading 4 broadcast
// values of A and (vectors) loads of B per step. 4×3 is the largest block whose 12 accumulators + 3 operands +
// 1 broadcast fit the 16 architectural vector registers. The kernels contain no calls: with a call after the loop
// (an earlier version stored edge tiles through a helper) the JIT spilled 9 of the 12 accumulators to the stack on
// every iteration and the Gram kernel ran ~2.5× slower. Callers therefore always give a full 4 × (vectors·width)
// destination and handle edges through a scratch tile.

/// <summary>
/// Register-blocked micro-kernels: C[t, j] (+)= Σ_p A[t·aT + p·aP] · B[p·bP + j] for t &lt; 4 and j below
/// (vectors)·width. Strides make one kernel serve both XᵀX (A is a column of the row block) and A·B (A is a row).
/// </summary>
internal static class RegisterTile
{
    /// <summary>The most doubles one vector holds (512 bits).</summary>
    public const int MaxLanes = 8;

    /// <summary>Doubles in a scratch tile big enough for any kernel at any width (4 rows × 3 vectors × 8 lanes).</summary>
    public const int ScratchLength = 4 * 3 * MaxLanes;

    /// <summary>4 rows × 3 vectors of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile4x3<TOps, TV>(ref double a, nint aT, nint aP, ref double b, nint bP, int depth, ref double c, nint ldc, bool accumulate)
        where TOps : struct, IVectorArithmetic<TV>
        where TV : struct
    {
        nint w = TOps.Count;
        TV c00 = TOps.Zero; TV c01 = TOps.Zero; TV c02 = TOps.Zero;
        TV c10 = TOps.Zero; TV c11 = TOps.Zero; TV c12 = TOps.Zero;
        TV c20 = TOps.Zero; TV c21 = TOps.Zero; TV c22 = TOps.Zero;
        TV c30 = TOps.Zero; TV c31 = TOps.Zero; TV c32 = TOps.Zero;
        ref double pa = ref a;
        ref double pb = ref b;
        for (int p = 0; p < depth; p++)
        {
            TV b0 = TOps.Load(ref pb);
            TV b1 = TOps.Load(ref Unsafe.Add(ref pb, w));
            TV b2 = TOps.Load(ref Unsafe.Add(ref pb, 2 * w));
            TV x0 = TOps.Broadcast(pa);
            c00 = TOps.MultiplyAdd(x0, b0, c00);
            c01 = TOps.MultiplyAdd(x0, b1, c01);
            c02 = TOps.MultiplyAdd(x0, b2, c02);
            TV x1 = TOps.Broadcast(Unsafe.Add(ref pa, aT));
            c10 = TOps.MultiplyAdd(x1, b0, c10);
            c11 = TOps.MultiplyAdd(x1, b1, c11);
            c12 = TOps.MultiplyAdd(x1, b2, c12);
            TV x2 = TOps.Broadcast(Unsafe.Add(ref pa, 2 * aT));
            c20 = TOps.MultiplyAdd(x2, b0, c20);
            c21 = TOps.MultiplyAdd(x2, b1, c21);
            c22 = TOps.MultiplyAdd(x2, b2, c22);
            TV x3 = TOps.Broadcast(Unsafe.Add(ref pa, 3 * aT));
            c30 = TOps.MultiplyAdd(x3, b0, c30);
            c31 = TOps.MultiplyAdd(x3, b1, c31);
            c32 = TOps.MultiplyAdd(x3, b2, c32);
            pa = ref Unsafe.Add(ref pa, aP);
            pb = ref Unsafe.Add(ref pb, bP);
        }

        ref double c0 = ref c;
        Put<TOps, TV>(ref c0, c00, accumulate);
        Put<TOps, TV>(ref Unsafe.Add(ref c0, w), c01, accumulate);
        Put<TOps, TV>(ref Unsafe.Add(ref c0, 2 * w), c02, accumulate);
        c0 = ref Unsafe.Add(ref c0, ldc);
        Put<TOps, TV>(ref c0, c10, accumulate);
        Put<TOps, TV>(ref Unsafe.Add(ref c0, w), c11, accumulate);
        Put<TOps, TV>(ref Unsafe.Add(ref c0, 2 * w), c12, accumulate);
        c0 = ref Unsafe.Add(ref c0, ldc);
        Put<TOps, TV>(ref c0, c20, accumulate);
        Put<TOps, TV>(ref Unsafe.Add(ref c0, w), c21, accumulate);
        Put<TOps, TV>(ref Unsafe.Add(ref c0, 2 * w), c22, accumulate);
        c0 = ref Unsafe.Add(ref c0, ldc);
        Put<TOps, TV>(ref c0, c30, accumulate);
        Put<TOps, TV>(ref Unsafe.Add(ref c0, w), c31, accumulate);
        Put<TOps, TV>(ref Unsafe.Add(ref c0, 2 * w), c32, accumulate);
    }

    /// <summary>4 rows × 2 vectors of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile4x2<TOps, TV>(ref double a, nint aT, nint aP, ref double b, nint bP, int depth, ref double c, nint ldc, bool accumulate)
        where TOps : struct, IVectorArithmetic<TV>
        where TV : struct
    {
        nint w = TOps.Count;
        TV c00 = TOps.Zero; TV c01 = TOps.Zero;
        TV c10 = TOps.Zero; TV c11 = TOps.Zero;
        TV c20 = TOps.Zero; TV c21 = TOps.Zero;
        TV c30 = TOps.Zero; TV c31 = TOps.Zero;
        ref double pa = ref a;
        ref double pb = ref b;
        for (int p = 0; p < depth; p++)
        {
            TV b0 = TOps.Load(ref pb);
            TV b1 = TOps.Load(ref Unsafe.Add(ref pb, w));
            TV x0 = TOps.Broadcast(pa);
            c00 = TOps.MultiplyAdd(x0, b0, c00);
            c01 = TOps.MultiplyAdd(x0, b1, c01);
            TV x1 = TOps.Broadcast(Unsafe.Add(ref pa, aT));
            c10 = TOps.MultiplyAdd(x1, b0, c10);
            c11 = TOps.MultiplyAdd(x1, b1, c11);
            TV x2 = TOps.Broadcast(Unsafe.Add(ref pa, 2 * aT));
            c20 = TOps.MultiplyAdd(x2, b0, c20);
            c21 = TOps.MultiplyAdd(x2, b1, c21);
            TV x3 = TOps.Broadcast(Unsafe.Add(ref pa, 3 * aT));
            c30 = TOps.MultiplyAdd(x3, b0, c30);
            c31 = TOps.MultiplyAdd(x3, b1, c31);
            pa = ref Unsafe.Add(ref pa, aP);
            pb = ref Unsafe.Add(ref pb, bP);
        }

        ref double c0 = ref c;
        Put<TOps, TV>(ref c0, c00, accumulate);
        Put<TOps, TV>(ref Unsafe.Add(ref c0, w), c01, accumulate);
        c0 = ref Unsafe.Add(ref c0, ldc);
        Put<TOps, TV>(ref c0, c10, accumulate);
        Put<TOps, TV>(ref Unsafe.Add(ref c0, w), c11, accumulate);
        c0 = ref Unsafe.Add(ref c0, ldc);
        Put<TOps, TV>(ref c0, c20, accumulate);
        Put<TOps, TV>(ref Unsafe.Add(ref c0, w), c21, accumulate);
        c0 = ref Unsafe.Add(ref c0, ldc);
        Put<TOps, TV>(ref c0, c30, accumulate);
        Put<TOps, TV>(ref Unsafe.Add(ref c0, w), c31, accumulate);
    }

    /// <summary>4 rows × 1 vector of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile4x1<TOps, TV>(ref double a, nint aT, nint aP, ref double b, nint bP, int depth, ref double c, nint ldc, bool accumulate)
        where TOps : struct, IVectorArithmetic<TV>
        where TV : struct
    {
        nint w = TOps.Count;
        TV c00 = TOps.Zero;
        TV c10 = TOps.Zero;
        TV c20 = TOps.Zero;
        TV c30 = TOps.Zero;
        ref double pa = ref a;
        ref double pb = ref b;
        for (int p = 0; p < depth; p++)
        {
            TV b0 = TOps.Load(ref pb);
            TV x0 = TOps.Broadcast(pa);
            c00 = TOps.MultiplyAdd(x0, b0, c00);
            TV x1 = TOps.Broadcast(Unsafe.Add(ref pa, aT));
            c10 = TOps.MultiplyAdd(x1, b0, c10);
            TV x2 = TOps.Broadcast(Unsafe.Add(ref pa, 2 * aT));
            c20 = TOps.MultiplyAdd(x2, b0, c20);
            TV x3 = TOps.Broadcast(Unsafe.Add(ref pa, 3 * aT));
            c30 = TOps.MultiplyAdd(x3, b0, c30);
            pa = ref Unsafe.Add(ref pa, aP);
            pb = ref Unsafe.Add(ref pb, bP);
        }

        ref double c0 = ref c;
        Put<TOps, TV>(ref c0, c00, accumulate);
        c0 = ref Unsafe.Add(ref c0, ldc);
        Put<TOps, TV>(ref c0, c10, accumulate);
        c0 = ref Unsafe.Add(ref c0, ldc);
        Put<TOps, TV>(ref c0, c20, accumulate);
        c0 = ref Unsafe.Add(ref c0, ldc);
        Put<TOps, TV>(ref c0, c30, accumulate);
    }

    /// <summary>
    /// 4 rows × 1 vector of C with two accumulators per row (even and odd steps of the shared dimension, added at the
    /// end): the single-accumulator <see cref="Tile4x1{TOps, TV}"/> has only four FMA chains, which the FMA latency
    /// (4 cycles on Zen 4) holds to one FMA per cycle; eight chains reach the two per cycle the other tiles run at.
    /// XᵀX's last one or two columns of every row strip go through it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile4x1Paired<TOps, TV>(ref double a, nint aT, nint aP, ref double b, nint bP, int depth, ref double c, nint ldc, bool accumulate)
        where TOps : struct, IVectorArithmetic<TV>
        where TV : struct
    {
        TV c00 = TOps.Zero; TV d00 = TOps.Zero;
        TV c10 = TOps.Zero; TV d10 = TOps.Zero;
        TV c20 = TOps.Zero; TV d20 = TOps.Zero;
        TV c30 = TOps.Zero; TV d30 = TOps.Zero;
        ref double pa = ref a;
        ref double pb = ref b;
        int p = 0;
        for (; p + 1 < depth; p += 2)
        {
            ref double qa = ref Unsafe.Add(ref pa, aP);
            TV b0 = TOps.Load(ref pb);
            TV b1 = TOps.Load(ref Unsafe.Add(ref pb, bP));
            c00 = TOps.MultiplyAdd(TOps.Broadcast(pa), b0, c00);
            d00 = TOps.MultiplyAdd(TOps.Broadcast(qa), b1, d00);
            c10 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref pa, aT)), b0, c10);
            d10 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref qa, aT)), b1, d10);
            c20 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref pa, 2 * aT)), b0, c20);
            d20 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref qa, 2 * aT)), b1, d20);
            c30 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref pa, 3 * aT)), b0, c30);
            d30 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref qa, 3 * aT)), b1, d30);
            pa = ref Unsafe.Add(ref pa, 2 * aP);
            pb = ref Unsafe.Add(ref pb, 2 * bP);
        }

        if (p < depth)
        {
            TV b0 = TOps.Load(ref pb);
            c00 = TOps.MultiplyAdd(TOps.Broadcast(pa), b0, c00);
            c10 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref pa, aT)), b0, c10);
            c20 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref pa, 2 * aT)), b0, c20);
            c30 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref pa, 3 * aT)), b0, c30);
        }

        c00 = TOps.Add(c00, d00);
        c10 = TOps.Add(c10, d10);
        c20 = TOps.Add(c20, d20);
        c30 = TOps.Add(c30, d30);
        ref double c0 = ref c;
        Put<TOps, TV>(ref c0, c00, accumulate);
        c0 = ref Unsafe.Add(ref c0, ldc);
        Put<TOps, TV>(ref c0, c10, accumulate);
        c0 = ref Unsafe.Add(ref c0, ldc);
        Put<TOps, TV>(ref c0, c20, accumulate);
        c0 = ref Unsafe.Add(ref c0, ldc);
        Put<TOps, TV>(ref c0, c30, accumulate);
    }

    /// <summary>Writes a tile's accumulator to C, or adds it to what C holds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<TOps, TV>(ref double target, TV value, bool accumulate)
        where TOps : struct, IVectorArithmetic<TV>
        where TV : struct
        => TOps.Store(accumulate ? TOps.Add(TOps.Load(ref target), value) : value, ref target);
}
