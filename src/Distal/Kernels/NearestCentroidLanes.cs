using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Distal.Kernels;

/// <summary>
/// Nearest centroid for up to <see cref="MaxClusters"/> clusters with vector lanes over ROWS: a block of W rows
/// (W = 4 at 256 bits, 2 at 128, 1 scalar; <c>DISTAL_SIMD</c> decides) is packed transposed (p × W), and for every
/// column one load of the W rows' values multiplies k broadcast centroid coordinates into k accumulators. The k values
/// ‖c‖² − 2x·c of the W rows come out lane by lane, so the argmin is a lane-wise compare-and-select: no horizontal
/// reductions and no padding of k to whole vectors (k = 10 on the earlier lanes-over-centroids tile filled 12 lanes
/// and needed a reduction per row). Clusters beyond 12 go in groups of at most 12 (12 accumulators + the row vector +
/// one broadcast fit the 16 registers).
/// </summary>
/// <remarks>
/// <para>With a shift s (a point near the data, such as the centroids' mean) the kernel works on x − s and c − s: the
/// argmin is the same (‖c − s‖² − 2(x − s)·(c − s) = ‖c‖² − 2x·c + 2x·s − ‖s‖², the last two terms alike for every
/// centroid), but the values stay at the size of the data's spread instead of its offset. On 1e8 + N(0, 1) data the
/// unshifted ‖c‖² is 1e16 per column, whose rounding (about 1 in 1e16 of it) is as large as the differences that
/// decide the nearest centroid; x − s is formed exactly there (Sterbenz), so the shifted values are exact to 1e-16 of
/// the spread.</para>
/// <para>Every value is x·c summed over the columns in order, one fused multiply-add per column, then ‖c‖² − 2·(x·c) fused;
/// ties go to the lowest index (strict less, starting from centroid 0), the rule of the general path. A row's result
/// therefore depends only on the row and the centroids: not on its lane, its block, the thread, the rank or the vector
/// width.</para>
/// </remarks>
internal sealed class NearestCentroidLanes
{
    /// <summary>Above this many clusters the general product (<see cref="IDenseKernels.MultiplyTransposed"/>) is used.</summary>
    public const int MaxClusters = 24;

    private const int MaxGroup = 12;

    private static readonly SimdWidth Width = SimdWidths.Default;

    private readonly double[] _coordinates;
    private readonly double[] _norms;
    private readonly double[] _shift;
    private readonly int _clusters;
    private readonly int _columns;
    private readonly int[] _groupStarts;

    /// <param name="centroids">k × p, row-major: the centroids minus <paramref name="shift"/>, when there is one.</param>
    /// <param name="norms">‖c‖² per centroid (of the shifted centroids, when there is a shift).</param>
    /// <param name="clusters">k.</param>
    /// <param name="columns">p.</param>
    /// <param name="shift">s, subtracted from every row as it is packed; empty for none.</param>
    public NearestCentroidLanes(ReadOnlySpan<double> centroids, ReadOnlySpan<double> norms, int clusters, int columns, ReadOnlySpan<double> shift = default)
    {
        if (!shift.IsEmpty && shift.Length != columns)
        {
            throw new ArgumentException("The shift needs one value per column.", nameof(shift));
        }

        _clusters = clusters;
        _columns = columns;
        _groupStarts = LanePacking.EvenGroupStarts(clusters, MaxGroup);
        _norms = norms[..clusters].ToArray();
        _shift = shift.ToArray();
        _coordinates = LanePacking.ColumnMajor(centroids, clusters, columns);
    }

    /// <summary>Whether this kernel serves <paramref name="clusters"/> clusters (at every vector width).</summary>
    public static bool Applies(int clusters) => clusters >= 1 && clusters <= MaxClusters;

    /// <summary>Rows per packed block at this process's vector width.</summary>
    public static int Lanes => Width >= SimdWidth.Bits256 ? 4 : Width == SimdWidth.Bits128 ? 2 : 1;

    /// <summary>Doubles of scratch <see cref="NearestOfRows"/> needs for <paramref name="columns"/> columns.</summary>
    public static int ScratchLength(int columns) => 4 * columns;

    /// <summary>
    /// The nearest centroid of each of the <paramref name="result"/>.Length consecutive rows of
    /// <paramref name="rows"/> (row-major); <paramref name="scratch"/> holds at least <see cref="ScratchLength"/> doubles.
    /// </summary>
    public void NearestOfRows(ReadOnlySpan<double> rows, Span<int> result, Span<double> scratch)
    {
        if ((long)result.Length * _columns > rows.Length || scratch.Length < ScratchLength(_columns))
        {
            throw new ArgumentException("The rows or the scratch are too short.");
        }

        if (Width >= SimdWidth.Bits256 && Vector256.IsHardwareAccelerated)
        {
            Run<Lanes256, Vector256<double>>(rows, result, scratch);
        }
        else if (Width >= SimdWidth.Bits128 && Vector128.IsHardwareAccelerated)
        {
            Run<Lanes128, Vector128<double>>(rows, result, scratch);
        }
        else
        {
            Run<LanesScalar, double>(rows, result, scratch);
        }
    }

    // Optimized at the first call: the block loop runs once per pass, so tiering would leave a cold run in tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Run<TOps, TV>(ReadOnlySpan<double> rows, Span<int> result, Span<double> scratch)
        where TOps : struct, ILaneOps<TV>
        where TV : struct
    {
        int w = TOps.Count;
        int p = _columns;
        int count = result.Length;
        ref double x = ref MemoryMarshal.GetReference(rows);
        ref double packed = ref MemoryMarshal.GetReference(scratch);
        ref int output = ref MemoryMarshal.GetReference(result);
        int r = 0;
        bool shifted = _shift.Length > 0;
        for (; r + w <= count; r += w)
        {
            ref double block = ref Unsafe.Add(ref x, r * p);
            ref double source = ref block;
            if (w > 1 || shifted)
            {
                TOps.Pack(ref block, p, ref packed);
                source = ref packed;
                if (shifted)
                {
                    LanePacking.SubtractShift(ref packed, _shift, w);
                }
            }

            TOps.StoreIndices(Block<TOps, TV>(ref source), ref Unsafe.Add(ref output, r));
        }

        if (r < count)
        {
            LanePacking.PackLast(ref Unsafe.Add(ref x, r * p), count - r, p, w, ref packed);
            if (shifted)
            {
                LanePacking.SubtractShift(ref packed, _shift, w);
            }

            Span<int> indices = stackalloc int[4];
            TOps.StoreIndices(Block<TOps, TV>(ref packed), ref MemoryMarshal.GetReference(indices));
            indices[..(count - r)].CopyTo(result[r..]);
        }
    }

    /// <summary>The nearest-centroid indices (as lane values) of one packed block, group after group of centroids.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TV Block<TOps, TV>(ref double packed)
        where TOps : struct, ILaneOps<TV>
        where TV : struct
    {
        TV best = TOps.Zero;
        TV index = TOps.Zero;
        if (_groupStarts.Length == 2)
        {
            Group<TOps, TV>(ref packed, 0, _clusters, true, ref best, ref index);
        }
        else
        {
            for (int g = 0; g + 1 < _groupStarts.Length; g++)
            {
                int start = _groupStarts[g];
                Group<TOps, TV>(ref packed, start, _groupStarts[g + 1] - start, g == 0, ref best, ref index);
            }
        }

        return index;
    }

    /// <summary>Centroids [start, start + size) against one packed block, on the unrolled kernel for that size.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Group<TOps, TV>(ref double packed, int start, int size, bool first, ref TV best, ref TV index)
        where TOps : struct, ILaneOps<TV>
        where TV : struct
    {
        switch (size)
        {
            case 1: Group<TOps, TV, N1>(ref packed, start, first, ref best, ref index); break;
            case 2: Group<TOps, TV, N2>(ref packed, start, first, ref best, ref index); break;
            case 3: Group<TOps, TV, N3>(ref packed, start, first, ref best, ref index); break;
            case 4: Group<TOps, TV, N4>(ref packed, start, first, ref best, ref index); break;
            case 5: Group<TOps, TV, N5>(ref packed, start, first, ref best, ref index); break;
            case 6: Group<TOps, TV, N6>(ref packed, start, first, ref best, ref index); break;
            case 7: Group<TOps, TV, N7>(ref packed, start, first, ref best, ref index); break;
            case 8: Group<TOps, TV, N8>(ref packed, start, first, ref best, ref index); break;
            case 9: Group<TOps, TV, N9>(ref packed, start, first, ref best, ref index); break;
            case 10: Group<TOps, TV, N10>(ref packed, start, first, ref best, ref index); break;
            case 11: Group<TOps, TV, N11>(ref packed, start, first, ref best, ref index); break;
            default: Group<TOps, TV, N12>(ref packed, start, first, ref best, ref index); break;
        }
    }

    /// <summary>
    /// Centroids [start, start + N) against one packed block: N accumulators, one per centroid, each a chain of p fused
    /// multiply-adds in column order; then the lane-wise argmin folded into (best, index).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Group<TOps, TV, TN>(ref double packed, int start, bool first, ref TV best, ref TV index)
        where TOps : struct, ILaneOps<TV>
        where TV : struct
        where TN : struct, ICount
    {
        int n = TN.Value;
        int w = TOps.Count;
        int k = _clusters;
        int p = _columns;
        TV a0 = TOps.Zero, a1 = TOps.Zero, a2 = TOps.Zero, a3 = TOps.Zero, a4 = TOps.Zero, a5 = TOps.Zero;
        TV a6 = TOps.Zero, a7 = TOps.Zero, a8 = TOps.Zero, a9 = TOps.Zero, a10 = TOps.Zero, a11 = TOps.Zero;
        ref double x = ref packed;
        ref double c = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_coordinates), start);
        for (int col = 0; col < p; col++)
        {
            TV v = TOps.Load(ref x);
            a0 = TOps.Fma(v, TOps.Broadcast(c), a0);
            if (n > 1) { a1 = TOps.Fma(v, TOps.Broadcast(Unsafe.Add(ref c, 1)), a1); }
            if (n > 2) { a2 = TOps.Fma(v, TOps.Broadcast(Unsafe.Add(ref c, 2)), a2); }
            if (n > 3) { a3 = TOps.Fma(v, TOps.Broadcast(Unsafe.Add(ref c, 3)), a3); }
            if (n > 4) { a4 = TOps.Fma(v, TOps.Broadcast(Unsafe.Add(ref c, 4)), a4); }
            if (n > 5) { a5 = TOps.Fma(v, TOps.Broadcast(Unsafe.Add(ref c, 5)), a5); }
            if (n > 6) { a6 = TOps.Fma(v, TOps.Broadcast(Unsafe.Add(ref c, 6)), a6); }
            if (n > 7) { a7 = TOps.Fma(v, TOps.Broadcast(Unsafe.Add(ref c, 7)), a7); }
            if (n > 8) { a8 = TOps.Fma(v, TOps.Broadcast(Unsafe.Add(ref c, 8)), a8); }
            if (n > 9) { a9 = TOps.Fma(v, TOps.Broadcast(Unsafe.Add(ref c, 9)), a9); }
            if (n > 10) { a10 = TOps.Fma(v, TOps.Broadcast(Unsafe.Add(ref c, 10)), a10); }
            if (n > 11) { a11 = TOps.Fma(v, TOps.Broadcast(Unsafe.Add(ref c, 11)), a11); }
            x = ref Unsafe.Add(ref x, w);
            c = ref Unsafe.Add(ref c, k);
        }

        ref double norms = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_norms), start);
        TV minusTwo = TOps.Broadcast(-2.0);
        TV value = TOps.Fma(minusTwo, a0, TOps.Broadcast(norms));

        // In locals, not through the refs: the refs kept the running minimum in memory, and the chain of stores and
        // reloads through it cost as much as the multiply-adds.
        TV low = best, at = index;
        if (first)
        {
            low = value;
            at = TOps.Broadcast(start);
        }
        else
        {
            TOps.KeepLess(value, start, ref low, ref at);
        }

        if (n > 1) { TOps.KeepLess(TOps.Fma(minusTwo, a1, TOps.Broadcast(Unsafe.Add(ref norms, 1))), start + 1, ref low, ref at); }
        if (n > 2) { TOps.KeepLess(TOps.Fma(minusTwo, a2, TOps.Broadcast(Unsafe.Add(ref norms, 2))), start + 2, ref low, ref at); }
        if (n > 3) { TOps.KeepLess(TOps.Fma(minusTwo, a3, TOps.Broadcast(Unsafe.Add(ref norms, 3))), start + 3, ref low, ref at); }
        if (n > 4) { TOps.KeepLess(TOps.Fma(minusTwo, a4, TOps.Broadcast(Unsafe.Add(ref norms, 4))), start + 4, ref low, ref at); }
        if (n > 5) { TOps.KeepLess(TOps.Fma(minusTwo, a5, TOps.Broadcast(Unsafe.Add(ref norms, 5))), start + 5, ref low, ref at); }
        if (n > 6) { TOps.KeepLess(TOps.Fma(minusTwo, a6, TOps.Broadcast(Unsafe.Add(ref norms, 6))), start + 6, ref low, ref at); }
        if (n > 7) { TOps.KeepLess(TOps.Fma(minusTwo, a7, TOps.Broadcast(Unsafe.Add(ref norms, 7))), start + 7, ref low, ref at); }
        if (n > 8) { TOps.KeepLess(TOps.Fma(minusTwo, a8, TOps.Broadcast(Unsafe.Add(ref norms, 8))), start + 8, ref low, ref at); }
        if (n > 9) { TOps.KeepLess(TOps.Fma(minusTwo, a9, TOps.Broadcast(Unsafe.Add(ref norms, 9))), start + 9, ref low, ref at); }
        if (n > 10) { TOps.KeepLess(TOps.Fma(minusTwo, a10, TOps.Broadcast(Unsafe.Add(ref norms, 10))), start + 10, ref low, ref at); }
        if (n > 11) { TOps.KeepLess(TOps.Fma(minusTwo, a11, TOps.Broadcast(Unsafe.Add(ref norms, 11))), start + 11, ref low, ref at); }
        best = low;
        index = at;
    }
}
