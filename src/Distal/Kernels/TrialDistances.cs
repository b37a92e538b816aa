using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Distal.Kernels;

/// <summary>
/// Squared distances ‖x − c‖² of rows to a few candidate centres, from the differences, with vector lanes over ROWS:
/// four rows are packed transposed (p × 4, <see cref="Lanes256.Pack"/>) and, column by column, one load of their four
/// values meets a broadcast of each candidate's coordinate in a subtract and a fused multiply-add. The distances come
/// out four rows per register, ready for the lane-wise min / weight / quantise / sum of the k-means++ trial pass with no
/// shuffles; nothing row-interleaved is stored. Candidates go in groups of at most <see cref="MaxGroup"/> (two chains
/// each, so 12 accumulators, the row vector and a difference fit the 16 registers).
/// </summary>
/// <remarks>
/// The one summation order, which defines every distance (and which the earlier candidates-in-lanes kernel used, so the
/// k-means++ draws are unchanged): even and odd columns in two chains of d·d + s, each fused and starting from zero, the
/// last column of an odd p in the even chain, then even + odd. A distance therefore depends only on the row and the
/// candidate: not on its lane, its block, the thread, the rank or how many candidates share the pass. 256-bit only
/// (<see cref="IsAccelerated"/>); below that callers use <see cref="SquaredDistance"/>, as before.
/// </remarks>
internal sealed class TrialDistances
{
    /// <summary>Rows per register.</summary>
    public const int Lanes = 4;

    private const int MaxGroup = 6;

    private readonly double[] _coordinates;
    private readonly int _columns;
    private readonly int[] _groupStarts;

    /// <param name="candidates">count × p, row-major.</param>
    /// <param name="count">Number of candidates.</param>
    /// <param name="columns">p.</param>
    public TrialDistances(ReadOnlySpan<double> candidates, int count, int columns)
    {
        if (count < 1 || columns < 1 || candidates.Length < (long)count * columns)
        {
            throw new ArgumentException("Need at least one candidate of at least one column.");
        }

        Count = count;
        _columns = columns;
        _groupStarts = LanePacking.EvenGroupStarts(count, MaxGroup);
        _coordinates = LanePacking.ColumnMajor(candidates, count, columns);
    }

    public int Count { get; }

    /// <summary>Whether the vector path runs: the process's vector width (DISTAL_SIMD) is at least 256 bits.</summary>
    public static bool IsAccelerated { get; } = SimdWidths.Default >= SimdWidth.Bits256 && Vector256.IsHardwareAccelerated;

    /// <summary>Doubles of scratch <see cref="ComputeRows"/> needs for <paramref name="columns"/> columns.</summary>
    public static int ScratchLength(int columns) => Lanes * columns;

    /// <summary><paramref name="rows"/> rounded up to whole registers: the least row stride of the distances.</summary>
    public static int Padded(int rows) => (rows + Lanes - 1) / Lanes * Lanes;

    /// <summary>
    /// ‖row r − candidate t‖² of <paramref name="count"/> consecutive rows (row-major) into
    /// <paramref name="distances"/>[t·<paramref name="stride"/> + r]; stride ≥ <see cref="Padded"/>(count). Past the
    /// last row, up to three padding entries per candidate are overwritten.
    /// </summary>
    // Optimized at the first call: a pass runs once per centre, so tiering would leave the first passes (and the
    // helpers they call, uninlined) in tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ComputeRows(ReadOnlySpan<double> rows, int count, Span<double> distances, int stride, Span<double> scratch)
    {
        int p = _columns;
        if (!IsAccelerated)
        {
            throw new InvalidOperationException("The trial-distance lanes need 256-bit vectors.");
        }

        if ((long)count * p > rows.Length || stride < Padded(count) || (long)(Count - 1) * stride + Padded(count) > distances.Length
            || scratch.Length < ScratchLength(p))
        {
            throw new ArgumentException("The rows, the distances or the scratch are too short.");
        }

        ref double x = ref MemoryMarshal.GetReference(rows);
        ref double packed = ref MemoryMarshal.GetReference(scratch);
        ref double output = ref MemoryMarshal.GetReference(distances);
        int ahead = StreamPrefetch.RowsAhead(p);
        int r = 0;
        for (; r + Lanes <= count; r += Lanes)
        {
            StreamPrefetch.Lines(ref x, (nint)(r + ahead) * p, Lanes * p);
            Lanes256.Pack(ref Unsafe.Add(ref x, r * p), p, ref packed);
            Block(ref packed, ref Unsafe.Add(ref output, r), stride);
        }

        if (r < count)
        {
            LanePacking.PackLast(ref Unsafe.Add(ref x, r * p), count - r, p, Lanes, ref packed);

            Block(ref packed, ref Unsafe.Add(ref output, r), stride);
        }
    }

    private void Block(ref double packed, ref double output, int stride)
    {
        for (int g = 0; g + 1 < _groupStarts.Length; g++)
        {
            int start = _groupStarts[g];
            ref double target = ref Unsafe.Add(ref output, start * stride);
            switch (_groupStarts[g + 1] - start)
            {
                case 1: Group<N1>(ref packed, start, ref target, stride); break;
                case 2: Group<N2>(ref packed, start, ref target, stride); break;
                case 3: Group<N3>(ref packed, start, ref target, stride); break;
                case 4: Group<N4>(ref packed, start, ref target, stride); break;
                case 5: Group<N5>(ref packed, start, ref target, stride); break;
                default: Group<N6>(ref packed, start, ref target, stride); break;
            }
        }
    }

    /// <summary>
    /// Candidates [start, start + N) against one packed block of four rows: per candidate an even and an odd chain,
    /// two columns per step, then even + odd stored for the four rows.
    /// </summary>
    // Optimized at the first call: the pass runs once per centre, so tiering would leave its first rounds in tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Group<TN>(ref double packed, int start, ref double output, int stride)
        where TN : struct, ICount
    {
        int n = TN.Value;
        int k = Count;
        int p = _columns;
        var e0 = Vector256<double>.Zero; var o0 = Vector256<double>.Zero;
        var e1 = Vector256<double>.Zero; var o1 = Vector256<double>.Zero;
        var e2 = Vector256<double>.Zero; var o2 = Vector256<double>.Zero;
        var e3 = Vector256<double>.Zero; var o3 = Vector256<double>.Zero;
        var e4 = Vector256<double>.Zero; var o4 = Vector256<double>.Zero;
        var e5 = Vector256<double>.Zero; var o5 = Vector256<double>.Zero;
        ref double x = ref packed;
        ref double c = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_coordinates), start);
        int col = 0;
        for (; col + 1 < p; col += 2)
        {
            var v = Vector256.LoadUnsafe(ref x);
            var w = Vector256.LoadUnsafe(ref x, Lanes);
            ref double c1 = ref Unsafe.Add(ref c, k);
            var d = v - Vector256.Create(c);
            e0 = Vector256.FusedMultiplyAdd(d, d, e0);
            d = w - Vector256.Create(c1);
            o0 = Vector256.FusedMultiplyAdd(d, d, o0);
            if (n > 1)
            {
                d = v - Vector256.Create(Unsafe.Add(ref c, 1));
                e1 = Vector256.FusedMultiplyAdd(d, d, e1);
                d = w - Vector256.Create(Unsafe.Add(ref c1, 1));
                o1 = Vector256.FusedMultiplyAdd(d, d, o1);
            }

            if (n > 2)
            {
                d = v - Vector256.Create(Unsafe.Add(ref c, 2));
                e2 = Vector256.FusedMultiplyAdd(d, d, e2);
                d = w - Vector256.Create(Unsafe.Add(ref c1, 2));
                o2 = Vector256.FusedMultiplyAdd(d, d, o2);
            }

            if (n > 3)
            {
                d = v - Vector256.Create(Unsafe.Add(ref c, 3));
                e3 = Vector256.FusedMultiplyAdd(d, d, e3);
                d = w - Vector256.Create(Unsafe.Add(ref c1, 3));
                o3 = Vector256.FusedMultiplyAdd(d, d, o3);
            }

            if (n > 4)
            {
                d = v - Vector256.Create(Unsafe.Add(ref c, 4));
                e4 = Vector256.FusedMultiplyAdd(d, d, e4);
                d = w - Vector256.Create(Unsafe.Add(ref c1, 4));
                o4 = Vector256.FusedMultiplyAdd(d, d, o4);
            }

            if (n > 5)
            {
                d = v - Vector256.Create(Unsafe.Add(ref c, 5));
                e5 = Vector256.FusedMultiplyAdd(d, d, e5);
                d = w - Vector256.Create(Unsafe.Add(ref c1, 5));
                o5 = Vector256.FusedMultiplyAdd(d, d, o5);
            }

            x = ref Unsafe.Add(ref x, 2 * Lanes);
            c = ref Unsafe.Add(ref c, 2 * k);
        }

        if (col < p)
        {
            var v = Vector256.LoadUnsafe(ref x);
            var d = v - Vector256.Create(c);
            e0 = Vector256.FusedMultiplyAdd(d, d, e0);
            if (n > 1) { d = v - Vector256.Create(Unsafe.Add(ref c, 1)); e1 = Vector256.FusedMultiplyAdd(d, d, e1); }
            if (n > 2) { d = v - Vector256.Create(Unsafe.Add(ref c, 2)); e2 = Vector256.FusedMultiplyAdd(d, d, e2); }
            if (n > 3) { d = v - Vector256.Create(Unsafe.Add(ref c, 3)); e3 = Vector256.FusedMultiplyAdd(d, d, e3); }
            if (n > 4) { d = v - Vector256.Create(Unsafe.Add(ref c, 4)); e4 = Vector256.FusedMultiplyAdd(d, d, e4); }
            if (n > 5) { d = v - Vector256.Create(Unsafe.Add(ref c, 5)); e5 = Vector256.FusedMultiplyAdd(d, d, e5); }
        }

        (e0 + o0).StoreUnsafe(ref output);
        if (n > 1) { (e1 + o1).StoreUnsafe(ref Unsafe.Add(ref output, stride)); }
        if (n > 2) { (e2 + o2).StoreUnsafe(ref Unsafe.Add(ref output, 2 * stride)); }
        if (n > 3) { (e3 + o3).StoreUnsafe(ref Unsafe.Add(ref output, 3 * stride)); }
        if (n > 4) { (e4 + o4).StoreUnsafe(ref Unsafe.Add(ref output, 4 * stride)); }
        if (n > 5) { (e5 + o5).StoreUnsafe(ref Unsafe.Add(ref output, 5 * stride)); }
    }
}
