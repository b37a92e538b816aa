using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Distal.Kernels;

/// <summary>
/// Squared distances of one row to several candidates at once, from the differences: the candidates are held
/// transposed in groups of four (one Vector256 lane per candidate), so a row's distances to four candidates build up
/// in one register, column by column, with no horizontal sums. Each lane's sum runs over the columns in one fixed
/// order (four accumulators by column mod 4, then the tail), so a distance depends only on the row and the candidate — never on
/// the partitioning. About 3× faster than four separate row-by-row distances for k-means++ trials on 20 columns
/// (measured on the 2-core Zen 4 VM), where the trial pass dominates the initialisation.
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
            ref double group = ref Unsafe.Add(ref t, g * p * Lanes);
            // Four chains over the columns (c mod 4): one chain of p dependent adds would bound a short row.
            var s0 = Vector256<double>.Zero;
            var s1 = Vector256<double>.Zero;
            var s2 = Vector256<double>.Zero;
            var s3 = Vector256<double>.Zero;
            int c = 0;
            for (; c + 3 < p; c += 4)
            {
                var d0 = Vector256.Create(Unsafe.Add(ref xr, c)) - Vector256.LoadUnsafe(ref group, (nuint)(c * Lanes));
                var d1 = Vector256.Create(Unsafe.Add(ref xr, c + 1)) - Vector256.LoadUnsafe(ref group, (nuint)((c + 1) * Lanes));
                var d2 = Vector256.Create(Unsafe.Add(ref xr, c + 2)) - Vector256.LoadUnsafe(ref group, (nuint)((c + 2) * Lanes));
                var d3 = Vector256.Create(Unsafe.Add(ref xr, c + 3)) - Vector256.LoadUnsafe(ref group, (nuint)((c + 3) * Lanes));
                s0 += d0 * d0;
                s1 += d1 * d1;
                s2 += d2 * d2;
                s3 += d3 * d3;
            }

            for (; c < p; c++)
            {
                var d = Vector256.Create(Unsafe.Add(ref xr, c)) - Vector256.LoadUnsafe(ref group, (nuint)(c * Lanes));
                s0 += d * d;
            }

            var even = s0 + s2;
            var odd = s1 + s3;
            (even + odd).StoreUnsafe(ref output, (nuint)(g * Lanes));
        }
    }

    /// <summary>Length a distances buffer needs.</summary>
    public int BufferLength => _groups * Lanes;
}
