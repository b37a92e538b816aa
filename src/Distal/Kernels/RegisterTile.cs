using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Distal.Kernels;

// Generated shape, hand-checked: each kernel keeps a 4 × (vectors) block of C in registers while it walks the shared
// dimension, reading 4 broadcast values of A and (vectors) loads of B per step. 4×3 is the largest block whose
// 12 accumulators + 3 operands + 1 broadcast fit in the 16 architectural vector registers without spilling.

/// <summary>
/// Register-blocked micro-kernels: C[t, j] (+)= Σ_p A[t·aT + p·aP] · B[p·bP + j] for t &lt; 4 and j below
/// (vectors)·width. Strides make one kernel serve both XᵀX (A is a column of the row block) and A·B (A is a row).
/// </summary>
internal static class RegisterTile
{
    /// <summary>The most doubles one vector holds (512 bits).</summary>
    public const int MaxLanes = 8;

    /// <summary>4 rows × 3 vectors of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile4x3<TOps, TV>(ref double a, nint aT, nint aP, ref double b, nint bP, int depth, ref double c, nint ldc, int validRows, int validColumns, bool accumulate)
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

        if (validRows >= 4 && validColumns >= 3 * w)
        {
            StoreRow<TOps, TV>(ref c, accumulate, c00, c01, c02, 3);
            StoreRow<TOps, TV>(ref Unsafe.Add(ref c, ldc), accumulate, c10, c11, c12, 3);
            StoreRow<TOps, TV>(ref Unsafe.Add(ref c, 2 * ldc), accumulate, c20, c21, c22, 3);
            StoreRow<TOps, TV>(ref Unsafe.Add(ref c, 3 * ldc), accumulate, c30, c31, c32, 3);
            return;
        }

        Span<double> lanes = stackalloc double[3 * MaxLanes];
        if (validRows > 0)
        {
            StorePartialRow<TOps, TV>(ref c, accumulate, lanes, validColumns, c00, c01, c02, 3);
        }

        if (validRows > 1)
        {
            StorePartialRow<TOps, TV>(ref Unsafe.Add(ref c, ldc), accumulate, lanes, validColumns, c10, c11, c12, 3);
        }

        if (validRows > 2)
        {
            StorePartialRow<TOps, TV>(ref Unsafe.Add(ref c, 2 * ldc), accumulate, lanes, validColumns, c20, c21, c22, 3);
        }

        if (validRows > 3)
        {
            StorePartialRow<TOps, TV>(ref Unsafe.Add(ref c, 3 * ldc), accumulate, lanes, validColumns, c30, c31, c32, 3);
        }
    }

    /// <summary>4 rows × 2 vectors of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile4x2<TOps, TV>(ref double a, nint aT, nint aP, ref double b, nint bP, int depth, ref double c, nint ldc, int validRows, int validColumns, bool accumulate)
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

        if (validRows >= 4 && validColumns >= 2 * w)
        {
            StoreRow<TOps, TV>(ref c, accumulate, c00, c01, TOps.Zero, 2);
            StoreRow<TOps, TV>(ref Unsafe.Add(ref c, ldc), accumulate, c10, c11, TOps.Zero, 2);
            StoreRow<TOps, TV>(ref Unsafe.Add(ref c, 2 * ldc), accumulate, c20, c21, TOps.Zero, 2);
            StoreRow<TOps, TV>(ref Unsafe.Add(ref c, 3 * ldc), accumulate, c30, c31, TOps.Zero, 2);
            return;
        }

        Span<double> lanes = stackalloc double[3 * MaxLanes];
        if (validRows > 0)
        {
            StorePartialRow<TOps, TV>(ref c, accumulate, lanes, validColumns, c00, c01, TOps.Zero, 2);
        }

        if (validRows > 1)
        {
            StorePartialRow<TOps, TV>(ref Unsafe.Add(ref c, ldc), accumulate, lanes, validColumns, c10, c11, TOps.Zero, 2);
        }

        if (validRows > 2)
        {
            StorePartialRow<TOps, TV>(ref Unsafe.Add(ref c, 2 * ldc), accumulate, lanes, validColumns, c20, c21, TOps.Zero, 2);
        }

        if (validRows > 3)
        {
            StorePartialRow<TOps, TV>(ref Unsafe.Add(ref c, 3 * ldc), accumulate, lanes, validColumns, c30, c31, TOps.Zero, 2);
        }
    }

    /// <summary>4 rows × 1 vector of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile4x1<TOps, TV>(ref double a, nint aT, nint aP, ref double b, nint bP, int depth, ref double c, nint ldc, int validRows, int validColumns, bool accumulate)
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

        if (validRows >= 4 && validColumns >= 1 * w)
        {
            StoreRow<TOps, TV>(ref c, accumulate, c00, TOps.Zero, TOps.Zero, 1);
            StoreRow<TOps, TV>(ref Unsafe.Add(ref c, ldc), accumulate, c10, TOps.Zero, TOps.Zero, 1);
            StoreRow<TOps, TV>(ref Unsafe.Add(ref c, 2 * ldc), accumulate, c20, TOps.Zero, TOps.Zero, 1);
            StoreRow<TOps, TV>(ref Unsafe.Add(ref c, 3 * ldc), accumulate, c30, TOps.Zero, TOps.Zero, 1);
            return;
        }

        Span<double> lanes = stackalloc double[3 * MaxLanes];
        if (validRows > 0)
        {
            StorePartialRow<TOps, TV>(ref c, accumulate, lanes, validColumns, c00, TOps.Zero, TOps.Zero, 1);
        }

        if (validRows > 1)
        {
            StorePartialRow<TOps, TV>(ref Unsafe.Add(ref c, ldc), accumulate, lanes, validColumns, c10, TOps.Zero, TOps.Zero, 1);
        }

        if (validRows > 2)
        {
            StorePartialRow<TOps, TV>(ref Unsafe.Add(ref c, 2 * ldc), accumulate, lanes, validColumns, c20, TOps.Zero, TOps.Zero, 1);
        }

        if (validRows > 3)
        {
            StorePartialRow<TOps, TV>(ref Unsafe.Add(ref c, 3 * ldc), accumulate, lanes, validColumns, c30, TOps.Zero, TOps.Zero, 1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<TOps, TV>(ref double c, bool accumulate, TV v0, TV v1, TV v2, int vectors)
        where TOps : struct, IVectorArithmetic<TV>
        where TV : struct
    {
        nint w = TOps.Count;
        if (accumulate)
        {
            v0 = TOps.Add(TOps.Load(ref c), v0);
            if (vectors > 1)
            {
                v1 = TOps.Add(TOps.Load(ref Unsafe.Add(ref c, w)), v1);
            }

            if (vectors > 2)
            {
                v2 = TOps.Add(TOps.Load(ref Unsafe.Add(ref c, 2 * w)), v2);
            }
        }

        TOps.Store(v0, ref c);
        if (vectors > 1)
        {
            TOps.Store(v1, ref Unsafe.Add(ref c, w));
        }

        if (vectors > 2)
        {
            TOps.Store(v2, ref Unsafe.Add(ref c, 2 * w));
        }
    }

    private static void StorePartialRow<TOps, TV>(ref double c, bool accumulate, Span<double> lanes, int validColumns, TV v0, TV v1, TV v2, int vectors)
        where TOps : struct, IVectorArithmetic<TV>
        where TV : struct
    {
        int w = TOps.Count;
        ref double l = ref MemoryMarshal.GetReference(lanes);
        TOps.Store(v0, ref l);
        TOps.Store(v1, ref Unsafe.Add(ref l, w));
        TOps.Store(v2, ref Unsafe.Add(ref l, 2 * w));
        int count = Math.Min(validColumns, vectors * w);
        for (int j = 0; j < count; j++)
        {
            Unsafe.Add(ref c, j) = accumulate ? Unsafe.Add(ref c, j) + lanes[j] : lanes[j];
        }
    }
}
