using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Distal.Kernels;

/// <summary>
/// Squared distances of one row to several candidates at once, from the differences: the candidates are held
/// transposed in groups of four (one Vector256 lane per candidate), so a row's distances to four candidates build up
/// in one register, column by column, with no horizontal sums; <see cref="ComputeRows"/> takes four rows at a time.
/// Each lane's sum runs over the columns in one fixed order (even and odd columns in two fused chains, then their
/// sum), so a distance depends only on the row and the candidate — never on the partitioning or on the row's place in
/// a four-row step. The trial pass dominates k-means++ (one pass over the rows per centre).
/// </summary>
internal sealed class TrialDistances
{
    private const int Lanes = 4;
    private readonly double[] _transposed;
    private readonly int _groups;
    private readonly int _columns;

    public TrialDistances(ReadOnlySpan<double> candidates, int count, int columns)
    {
        Count = count;
        _columns = columns;
        _groups = (count + Lanes - 1) / Lanes;
        _transposed = new double[_groups * columns * Lanes];
        for (int t = 0; t < count; t++)
        {
            int g = t / Lanes, lane = t % Lanes;
            for (int c = 0; c < columns; c++)
            {
                _transposed[(((g * columns) + c) * Lanes) + lane] = candidates[(t * columns) + c];
            }
        }
    }

    public int Count { get; }

    /// <summary>
    /// Whether the vector path runs: the process's vector width (DISTAL_SIMD) is at least 256 bits (otherwise callers
    /// use <see cref="SquaredDistance"/>).
    /// </summary>
    public static bool IsAccelerated { get; } = SimdWidths.Default >= SimdWidth.Bits256;

    /// <summary>Writes ‖x − candidate_t‖² for every candidate into <paramref name="distances"/> (length ≥ groups·4; padding lanes are garbage).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Compute(ReadOnlySpan<double> x, Span<double> distances)
    {
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double t = ref MemoryMarshal.GetArrayDataReference(_transposed);
        ref double output = ref MemoryMarshal.GetReference(distances);
        int p = _columns;
        for (int g = 0; g < _groups; g++)
        {
            OneRow(ref xr, ref Unsafe.Add(ref t, g * p * Lanes), p).StoreUnsafe(ref output, (nuint)(g * Lanes));
        }
    }

    /// <summary>
    /// <see cref="Compute"/> for <paramref name="count"/> consecutive rows of <paramref name="rows"/> (row-major),
    /// row i's distances at [i·<see cref="BufferLength"/>, …). Four rows at a time share each load of a candidate
    /// column, and their eight chains keep both FMA pipes busy; each row gets exactly the value <see cref="Compute"/>
    /// gives it, since every lane sums its columns in the same order whatever the row's position.
    /// </summary>
    public void ComputeRows(ReadOnlySpan<double> rows, int count, Span<double> distances)
    {
        int p = _columns;
        int length = BufferLength;
        if ((long)count * p > rows.Length || (long)count * length > distances.Length)
        {
            throw new ArgumentException("The rows or the distances are too short.");
        }

        ref double x = ref MemoryMarshal.GetReference(rows);
        ref double t = ref MemoryMarshal.GetArrayDataReference(_transposed);
        ref double output = ref MemoryMarshal.GetReference(distances);
        int r = 0;
        for (; r + 4 <= count; r += 4)
        {
            ref double block = ref Unsafe.Add(ref x, r * p);
            ref double target = ref Unsafe.Add(ref output, r * length);
            for (int g = 0; g < _groups; g++)
            {
                FourRows(ref block, ref Unsafe.Add(ref t, g * p * Lanes), p, ref Unsafe.Add(ref target, g * Lanes), length);
            }
        }

        for (; r < count; r++)
        {
            ref double row = ref Unsafe.Add(ref x, r * p);
            for (int g = 0; g < _groups; g++)
            {
                OneRow(ref row, ref Unsafe.Add(ref t, g * p * Lanes), p).StoreUnsafe(ref Unsafe.Add(ref output, (r * length) + (g * Lanes)));
            }
        }
    }

    /// <summary>
    /// One row against one group of four candidates: even and odd columns in two chains of d·d + s (fused), added
    /// at the end. This order defines every distance; <see cref="FourRows"/> follows it lane for lane.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> OneRow(ref double x, ref double group, int p)
    {
        var even = Vector256<double>.Zero;
        var odd = Vector256<double>.Zero;
        int c = 0;
        for (; c + 1 < p; c += 2)
        {
            var d0 = Vector256.Create(Unsafe.Add(ref x, c)) - Vector256.LoadUnsafe(ref group, (nuint)(c * Lanes));
            var d1 = Vector256.Create(Unsafe.Add(ref x, c + 1)) - Vector256.LoadUnsafe(ref group, (nuint)((c + 1) * Lanes));
            even = Vector256.FusedMultiplyAdd(d0, d0, even);
            odd = Vector256.FusedMultiplyAdd(d1, d1, odd);
        }

        if (c < p)
        {
            var d = Vector256.Create(Unsafe.Add(ref x, c)) - Vector256.LoadUnsafe(ref group, (nuint)(c * Lanes));
            even = Vector256.FusedMultiplyAdd(d, d, even);
        }

        return even + odd;
    }

    /// <summary>Four rows (stride <paramref name="p"/>) against one group: eight independent chains, one candidate load per column.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FourRows(ref double x, ref double group, int p, ref double output, int length)
    {
        var e0 = Vector256<double>.Zero; var o0 = Vector256<double>.Zero;
        var e1 = Vector256<double>.Zero; var o1 = Vector256<double>.Zero;
        var e2 = Vector256<double>.Zero; var o2 = Vector256<double>.Zero;
        var e3 = Vector256<double>.Zero; var o3 = Vector256<double>.Zero;
        ref double x1 = ref Unsafe.Add(ref x, p);
        ref double x2 = ref Unsafe.Add(ref x, 2 * p);
        ref double x3 = ref Unsafe.Add(ref x, 3 * p);
        int c = 0;
        for (; c + 1 < p; c += 2)
        {
            var ce = Vector256.LoadUnsafe(ref group, (nuint)(c * Lanes));
            var co = Vector256.LoadUnsafe(ref group, (nuint)((c + 1) * Lanes));
            var d = Vector256.Create(Unsafe.Add(ref x, c)) - ce;
            e0 = Vector256.FusedMultiplyAdd(d, d, e0);
            d = Vector256.Create(Unsafe.Add(ref x1, c)) - ce;
            e1 = Vector256.FusedMultiplyAdd(d, d, e1);
            d = Vector256.Create(Unsafe.Add(ref x2, c)) - ce;
            e2 = Vector256.FusedMultiplyAdd(d, d, e2);
            d = Vector256.Create(Unsafe.Add(ref x3, c)) - ce;
            e3 = Vector256.FusedMultiplyAdd(d, d, e3);
            d = Vector256.Create(Unsafe.Add(ref x, c + 1)) - co;
            o0 = Vector256.FusedMultiplyAdd(d, d, o0);
            d = Vector256.Create(Unsafe.Add(ref x1, c + 1)) - co;
            o1 = Vector256.FusedMultiplyAdd(d, d, o1);
            d = Vector256.Create(Unsafe.Add(ref x2, c + 1)) - co;
            o2 = Vector256.FusedMultiplyAdd(d, d, o2);
            d = Vector256.Create(Unsafe.Add(ref x3, c + 1)) - co;
            o3 = Vector256.FusedMultiplyAdd(d, d, o3);
        }

        if (c < p)
        {
            var ce = Vector256.LoadUnsafe(ref group, (nuint)(c * Lanes));
            var d = Vector256.Create(Unsafe.Add(ref x, c)) - ce;
            e0 = Vector256.FusedMultiplyAdd(d, d, e0);
            d = Vector256.Create(Unsafe.Add(ref x1, c)) - ce;
            e1 = Vector256.FusedMultiplyAdd(d, d, e1);
            d = Vector256.Create(Unsafe.Add(ref x2, c)) - ce;
            e2 = Vector256.FusedMultiplyAdd(d, d, e2);
            d = Vector256.Create(Unsafe.Add(ref x3, c)) - ce;
            e3 = Vector256.FusedMultiplyAdd(d, d, e3);
        }

        (e0 + o0).StoreUnsafe(ref output);
        (e1 + o1).StoreUnsafe(ref Unsafe.Add(ref output, length));
        (e2 + o2).StoreUnsafe(ref Unsafe.Add(ref output, 2 * length));
        (e3 + o3).StoreUnsafe(ref Unsafe.Add(ref output, 3 * length));
    }

    /// <summary>Length a distances buffer needs.</summary>
    public int BufferLength => _groups * Lanes;
}
