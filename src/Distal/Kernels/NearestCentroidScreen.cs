using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Distal.Kernels;

/// <summary>
/// <see cref="NearestCentroidLanes"/>'s answer, row for row and bit for bit, with half its multiply-adds: a float32 screen
/// runs eight rows per 256-bit vector (the double kernel runs four, with the same number of multiply-adds per vector), and
/// keeps, per row, the smallest value, the second smallest and the smallest one's index. A row's answer is taken from
/// the screen only when the gap between the two is larger than twice a bound on how far a float32 value, and the
/// double kernel's own value, can be from the exact ‖c‖² − 2x·c; then both kernels must pick the same centroid.
/// Every other row (near ties, NaN, infinities, values out of float range, all rows of data whose offset swamps
/// float32) is given to the double kernel. Of 10⁶ rows of uniform data in [−1, 1]²⁰ with k = 10, 28 fall back.
/// </summary>
/// <remarks>
/// <para>The bound. With u = 2⁻²⁴, v = 2⁻⁵³, p columns, S = Σ|xᵢcᵢ| ≤ ‖x‖·‖c‖ and N = the double ‖c‖² both kernels
/// start from, the exact value is V = N − 2x·c. The screen rounds x and c to float (each product off by at most
/// (2u + u²)|xᵢcᵢ|), sums p products with fused multiply-adds (γₚ = pu/(1 − pu) of Σ|x̃ᵢc̃ᵢ|), rounds N (u·N) and the
/// final N − 2g (u of its result, itself at most N + 2S), so |F − V| ≤ (6u + 2γₚ)·S + 2u·N to first order.</para>
/// <para>The double kernel works on a = x − s and b = c − s (s the centroids' mean, so ‖s‖ ≤ L, the largest ‖c‖, and
/// ‖b‖ ≤ 2L; <see cref="NearestCentroidLanes"/>): rounding a and b costs at most 2v‖b‖² + 4v‖a‖‖b‖, its dot product
/// 2γₚ(v)‖a‖‖b‖, its norm γₚ(v)‖b‖² and its last step v(‖b‖² + 2‖a‖‖b‖), so it is within (2γₚ(v) + 6v)‖a‖‖b‖ +
/// (γₚ(v) + 3v)‖b‖² of T + K, where T = ‖c‖² − 2x·c exactly and K = 2x·s − ‖s‖² is the same for every centroid; and V
/// is within γₚ(v)·L² of T. With ‖a‖ ≤ ‖x‖ + L, everything the double side adds is at most (4γₚ(v) + 12v)·L‖x‖ +
/// (9γₚ(v) + 24v)·L², taken here as (4γₚ(v) + 16v) and (9γₚ(v) + 32v). If the screen's second smallest value exceeds
/// its smallest by more than twice the sum of both sides (over the largest ‖c‖ and N of the centroids), every other
/// centroid's double value is strictly larger than the winner's (K cancels between centroids), so the double kernel
/// picks the same one and no tie rule is involved. Underflow adds at
/// most 2⁻¹⁵⁰ per rounding (folded in as absolute terms), and 1 % covers the second-order terms and the float
/// evaluation of the bound itself. ‖x‖ comes from the screen's own float ‖x̃‖², widened by its rounding bound.</para>
/// <para>The screen is built only at 256 bits and wider (<c>DISTAL_SIMD</c> decides, so the forced narrow runs test
/// the double kernel alone), for 2 ≤ k ≤ <see cref="NearestCentroidLanes.MaxClusters"/>, p ≤ <see cref="MaxColumns"/>
/// and centroids with ‖c‖² ≤ 10³⁰, so every product and sum stays far inside float's range.</para>
/// </remarks>
internal sealed partial class NearestCentroidScreen
{
    /// <summary>Above this many columns γₚ in float grows past 1e-3 and the screen is not built.</summary>
    public const int MaxColumns = 16_384;

    private const int Lanes = 8;
    private const int MaxGroup = 12;
    private const double MaxNorm = 1e30;

    private readonly NearestCentroidLanes _exact;
    private readonly float[] _coordinates;
    private readonly float[] _norms;
    private readonly int _clusters;
    private readonly int _columns;
    private readonly int[] _groupStarts;

    // A row is certified when gap > Alpha·sqrt(‖x̃‖²(computed) + Tau) + Beta, all in float (see remarks).
    private readonly float _alpha;
    private readonly float _beta;
    private readonly float _tau;

    private NearestCentroidScreen(NearestCentroidLanes exact, ReadOnlySpan<double> centroids, ReadOnlySpan<double> norms, int clusters, int columns, double largestNorm)
    {
        _exact = exact;
        _clusters = clusters;
        _columns = columns;
        _groupStarts = LanePacking.EvenGroupStarts(clusters, MaxGroup);
        _coordinates = Array.ConvertAll(LanePacking.ColumnMajor(centroids, clusters, columns), v => (float)v);

        _norms = new float[clusters];
        for (int j = 0; j < clusters; j++)
        {
            _norms[j] = (float)norms[j];
        }

        const double U = 1.0 / (1 << 24);
        const double V = 1.0 / (1L << 53);
        double tiny = Math.ScaleB(1, -150);
        double p = columns;
        double gamma32 = p * U / (1 - (p * U));
        double gamma64 = p * V / (1 - (p * V));

        // ‖c‖ from the double norm: that norm's own rounding (γₚ in double) widened, rounded up.
        double largestLength = Math.Sqrt(largestNorm * (1 + gamma64)) * (1 + 1e-12);
        double perProduct = (6 * U) + (2 * gamma32) + (4 * gamma64) + (16 * V);
        double perNorm = (2 * U) + (9 * gamma64) + (32 * V);
        double sqrtP = Math.Sqrt(p);

        // 2E·1.01 = alpha·‖x‖ + beta, with the absolute underflow terms: √p·2⁻¹⁵⁰ per unit of ‖x‖ and of ‖c‖ (the
        // conversions), (p + 2)·2⁻¹⁵⁰ for the roundings, each doubled with the product.
        double alpha = 2.02 * ((perProduct * largestLength) + (2 * sqrtP * tiny));
        double beta = 2.02 * ((perNorm * largestNorm) + (2 * sqrtP * tiny * largestLength) + (2 * (p + 2) * tiny));

        // ‖x‖ ≤ (sqrt((computed + p·2⁻¹⁵⁰) / (1 − γₚ)) + √p·2⁻¹⁵⁰) / (1 − u).
        double widen = 1 / ((1 - U) * Math.Sqrt(1 - gamma32));
        _alpha = RoundUp(alpha * widen);
        _beta = RoundUp(beta + (alpha * sqrtP * tiny / (1 - U)));
        _tau = RoundUp(p * tiny);
    }

    /// <summary>
    /// The screen for these centroids, or null where it does not apply (narrow vectors, k &lt; 2 or above the lanes
    /// kernel's maximum, too many columns, centroids out of the safe range): the caller then runs
    /// <paramref name="exact"/> alone.
    /// </summary>
    /// <param name="exact">The double kernel for the same centroids: the screen's fallback and its definition.</param>
    /// <param name="centroids">k × p, row-major.</param>
    /// <param name="norms">‖c‖² per centroid, as <paramref name="exact"/> has them.</param>
    /// <param name="clusters">k.</param>
    /// <param name="columns">p.</param>
    public static NearestCentroidScreen? TryCreate(NearestCentroidLanes exact, ReadOnlySpan<double> centroids, ReadOnlySpan<double> norms, int clusters, int columns)
    {
        if (!Applies(clusters, columns))
        {
            return null;
        }

        double largest = 0;
        for (int j = 0; j < clusters; j++)
        {
            // Written so that NaN fails the test too.
            if (!(norms[j] <= MaxNorm))
            {
                return null;
            }

            largest = Math.Max(largest, norms[j]);
        }

        return new NearestCentroidScreen(exact, centroids, norms, clusters, columns, largest);
    }

    /// <summary>Whether a screen can serve k = <paramref name="clusters"/>, p = <paramref name="columns"/> in this process (the centroids' range aside).</summary>
    public static bool Applies(int clusters, int columns)
        => SimdWidths.Default >= SimdWidth.Bits256 && Avx2.IsSupported && Fma.IsSupported
           && clusters >= 2 && clusters <= NearestCentroidLanes.MaxClusters && columns >= 1 && columns <= MaxColumns;

    /// <summary>Floats of one packed block of eight rows: p columns × 8, then the eight ‖x̃‖².</summary>
    public static int BlockLength(int columns) => Lanes * (columns + 1);

    /// <summary>Floats of the packed copy of <paramref name="rows"/> rows (<see cref="Pack"/>).</summary>
    public static long PackedLength(long rows, int columns) => (rows + Lanes - 1) / Lanes * BlockLength(columns);

    /// <summary>Doubles of scratch the fallback needs: eight gathered rows and the double kernel's own.</summary>
    public static int FallbackScratchLength(int columns) => (Lanes * columns) + NearestCentroidLanes.ScratchLength(columns);

    /// <summary>
    /// The nearest centroid of each of the <paramref name="result"/>.Length consecutive rows of <paramref name="rows"/>
    /// (row-major), exactly as <see cref="NearestCentroidLanes.NearestOfRows"/> gives it, packing eight rows at a time
    /// into <paramref name="scratch"/> (<see cref="BlockLength"/> floats). Returns how many rows the double kernel
    /// decided.
    /// </summary>
    public int NearestOfRows(ReadOnlySpan<double> rows, Span<int> result, Span<float> scratch, Span<double> fallbackScratch)
    {
        int p = _columns;
        int count = result.Length;
        if ((long)count * p > rows.Length || scratch.Length < BlockLength(p) || fallbackScratch.Length < FallbackScratchLength(p))
        {
            throw new ArgumentException("The rows or the scratch are too short.");
        }

        ref float packed = ref MemoryMarshal.GetReference(scratch);
        int fallbacks = 0;
        for (int r = 0; r < count; r += Lanes)
        {
            int real = Math.Min(Lanes, count - r);
            ReadOnlySpan<double> block = rows.Slice(r * p, real * p);
            PackConverted(ref MemoryMarshal.GetReference(block), p, real, ref packed).StoreUnsafe(ref Unsafe.Add(ref packed, Lanes * p));
            fallbacks += Screen(ref packed, block, result.Slice(r, real), fallbackScratch);
        }

        return fallbacks;
    }

    /// <summary>
    /// As <see cref="NearestOfRows"/>, for rows already packed by <see cref="Pack"/>: <paramref name="packed"/> holds
    /// their blocks (the first row starting a block), <paramref name="rows"/> the same rows as doubles for the fallback.
    /// </summary>
    public int NearestOfPacked(ReadOnlySpan<float> packed, ReadOnlySpan<double> rows, Span<int> result, Span<double> fallbackScratch)
    {
        int p = _columns;
        int count = result.Length;
        int blockLength = BlockLength(p);
        if ((long)count * p > rows.Length || packed.Length < PackedLength(count, p) || fallbackScratch.Length < FallbackScratchLength(p))
        {
            throw new ArgumentException("The rows, the packed rows or the scratch are too short.");
        }

        ref float block = ref MemoryMarshal.GetReference(packed);
        int fallbacks = 0;
        for (int r = 0; r < count; r += Lanes)
        {
            int real = Math.Min(Lanes, count - r);
            fallbacks += Screen(ref block, rows.Slice(r * p, real * p), result.Slice(r, real), fallbackScratch);
            block = ref Unsafe.Add(ref block, blockLength);
        }

        return fallbacks;
    }

    /// <summary>
    /// One packed block (float columns × 8, then the eight ‖x̃‖²): the screen, then the double kernel for the rows of
    /// <paramref name="result"/> (at most eight, from <paramref name="rows"/>) it could not certify.
    /// </summary>
    private int Screen(ref float packed, ReadOnlySpan<double> rows, Span<int> result, Span<double> fallbackScratch)
    {
        int p = _columns;
        int real = result.Length;
        Vector256<float> best = default, second = default, index = default;
        for (int g = 0; g + 1 < _groupStarts.Length; g++)
        {
            int start = _groupStarts[g];
            Group(ref packed, start, _groupStarts[g + 1] - start, g == 0, ref best, ref second, ref index);
        }

        var lengths = Vector256.LoadUnsafe(ref Unsafe.Add(ref packed, Lanes * p));
        var bound = Fma.MultiplyAdd(Vector256.Create(_alpha), Avx.Sqrt(lengths + Vector256.Create(_tau)), Vector256.Create(_beta));

        // Ordered compare: a NaN gap or bound is not certified.
        uint certified = Vector256.GreaterThan(second - best, bound).ExtractMostSignificantBits();
        var indices = Avx.ConvertToVector256Int32WithTruncation(index);
        if (real == Lanes)
        {
            indices.StoreUnsafe(ref MemoryMarshal.GetReference(result));
        }
        else
        {
            for (int lane = 0; lane < real; lane++)
            {
                result[lane] = indices.GetElement(lane);
            }
        }

        uint open = ~certified & ((1u << real) - 1);
        return open == 0 ? 0 : Fallback(open, rows, result, fallbackScratch);
    }

    /// <summary>The rows of the lanes set in <paramref name="open"/>, gathered into consecutive rows for the double kernel.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int Fallback(uint open, ReadOnlySpan<double> rows, Span<int> result, Span<double> fallbackScratch)
    {
        int p = _columns;
        Span<double> gathered = fallbackScratch[..(Lanes * p)];
        Span<double> exactScratch = fallbackScratch.Slice(Lanes * p, NearestCentroidLanes.ScratchLength(p));
        Span<int> lanes = stackalloc int[Lanes];
        Span<int> answers = stackalloc int[Lanes];
        int m = 0;
        for (uint bits = open; bits != 0; bits &= bits - 1)
        {
            int lane = System.Numerics.BitOperations.TrailingZeroCount(bits);
            rows.Slice(lane * p, p).CopyTo(gathered.Slice(m * p, p));
            lanes[m++] = lane;
        }

        _exact.NearestOfRows(gathered[..(m * p)], answers[..m], exactScratch);
        for (int i = 0; i < m; i++)
        {
            result[lanes[i]] = answers[i];
        }

        return m;
    }

    /// <summary>Centroids [start, start + size) against one packed block, on the unrolled kernel for that size.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Group(ref float packed, int start, int size, bool first, ref Vector256<float> best, ref Vector256<float> second, ref Vector256<float> index)
    {
        switch (size)
        {
            case 1: Group<N1>(ref packed, start, first, ref best, ref second, ref index); break;
            case 2: Group<N2>(ref packed, start, first, ref best, ref second, ref index); break;
            case 3: Group<N3>(ref packed, start, first, ref best, ref second, ref index); break;
            case 4: Group<N4>(ref packed, start, first, ref best, ref second, ref index); break;
            case 5: Group<N5>(ref packed, start, first, ref best, ref second, ref index); break;
            case 6: Group<N6>(ref packed, start, first, ref best, ref second, ref index); break;
            case 7: Group<N7>(ref packed, start, first, ref best, ref second, ref index); break;
            case 8: Group<N8>(ref packed, start, first, ref best, ref second, ref index); break;
            case 9: Group<N9>(ref packed, start, first, ref best, ref second, ref index); break;
            case 10: Group<N10>(ref packed, start, first, ref best, ref second, ref index); break;
            case 11: Group<N11>(ref packed, start, first, ref best, ref second, ref index); break;
            default: Group<N12>(ref packed, start, first, ref best, ref second, ref index); break;
        }
    }

    /// <summary>
    /// Centroids [start, start + N) against one packed block: N float accumulators, each a chain of p fused
    /// multiply-adds in column order; then ‖c‖² − 2x·c folded into the running smallest, second smallest and index.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Group<TN>(ref float packed, int start, bool first, ref Vector256<float> best, ref Vector256<float> second, ref Vector256<float> index)
        where TN : struct, ICount
    {
        int n = TN.Value;
        int k = _clusters;
        int p = _columns;
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        Vector256<float> a6 = default, a7 = default, a8 = default, a9 = default, a10 = default, a11 = default;
        ref float x = ref packed;
        ref float c = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_coordinates), start);
        for (int col = 0; col < p; col++)
        {
            var v = Vector256.LoadUnsafe(ref x);
            a0 = Fma.MultiplyAdd(v, Vector256.Create(c), a0);
            if (n > 1) { a1 = Fma.MultiplyAdd(v, Vector256.Create(Unsafe.Add(ref c, 1)), a1); }
            if (n > 2) { a2 = Fma.MultiplyAdd(v, Vector256.Create(Unsafe.Add(ref c, 2)), a2); }
            if (n > 3) { a3 = Fma.MultiplyAdd(v, Vector256.Create(Unsafe.Add(ref c, 3)), a3); }
            if (n > 4) { a4 = Fma.MultiplyAdd(v, Vector256.Create(Unsafe.Add(ref c, 4)), a4); }
            if (n > 5) { a5 = Fma.MultiplyAdd(v, Vector256.Create(Unsafe.Add(ref c, 5)), a5); }
            if (n > 6) { a6 = Fma.MultiplyAdd(v, Vector256.Create(Unsafe.Add(ref c, 6)), a6); }
            if (n > 7) { a7 = Fma.MultiplyAdd(v, Vector256.Create(Unsafe.Add(ref c, 7)), a7); }
            if (n > 8) { a8 = Fma.MultiplyAdd(v, Vector256.Create(Unsafe.Add(ref c, 8)), a8); }
            if (n > 9) { a9 = Fma.MultiplyAdd(v, Vector256.Create(Unsafe.Add(ref c, 9)), a9); }
            if (n > 10) { a10 = Fma.MultiplyAdd(v, Vector256.Create(Unsafe.Add(ref c, 10)), a10); }
            if (n > 11) { a11 = Fma.MultiplyAdd(v, Vector256.Create(Unsafe.Add(ref c, 11)), a11); }
            x = ref Unsafe.Add(ref x, Lanes);
            c = ref Unsafe.Add(ref c, k);
        }

        ref float norms = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_norms), start);
        var minusTwo = Vector256.Create(-2f);
        var value = Fma.MultiplyAdd(minusTwo, a0, Vector256.Create(norms));

        // In locals, not through the refs (see NearestCentroidLanes).
        Vector256<float> low = best, next = second, at = index;
        if (first)
        {
            low = value;
            next = Vector256.Create(float.PositiveInfinity);
            at = Vector256.Create((float)start);
        }
        else
        {
            Keep(value, start, ref low, ref next, ref at);
        }

        if (n > 1) { Keep(Fma.MultiplyAdd(minusTwo, a1, Vector256.Create(Unsafe.Add(ref norms, 1))), start + 1, ref low, ref next, ref at); }
        if (n > 2) { Keep(Fma.MultiplyAdd(minusTwo, a2, Vector256.Create(Unsafe.Add(ref norms, 2))), start + 2, ref low, ref next, ref at); }
        if (n > 3) { Keep(Fma.MultiplyAdd(minusTwo, a3, Vector256.Create(Unsafe.Add(ref norms, 3))), start + 3, ref low, ref next, ref at); }
        if (n > 4) { Keep(Fma.MultiplyAdd(minusTwo, a4, Vector256.Create(Unsafe.Add(ref norms, 4))), start + 4, ref low, ref next, ref at); }
        if (n > 5) { Keep(Fma.MultiplyAdd(minusTwo, a5, Vector256.Create(Unsafe.Add(ref norms, 5))), start + 5, ref low, ref next, ref at); }
        if (n > 6) { Keep(Fma.MultiplyAdd(minusTwo, a6, Vector256.Create(Unsafe.Add(ref norms, 6))), start + 6, ref low, ref next, ref at); }
        if (n > 7) { Keep(Fma.MultiplyAdd(minusTwo, a7, Vector256.Create(Unsafe.Add(ref norms, 7))), start + 7, ref low, ref next, ref at); }
        if (n > 8) { Keep(Fma.MultiplyAdd(minusTwo, a8, Vector256.Create(Unsafe.Add(ref norms, 8))), start + 8, ref low, ref next, ref at); }
        if (n > 9) { Keep(Fma.MultiplyAdd(minusTwo, a9, Vector256.Create(Unsafe.Add(ref norms, 9))), start + 9, ref low, ref next, ref at); }
        if (n > 10) { Keep(Fma.MultiplyAdd(minusTwo, a10, Vector256.Create(Unsafe.Add(ref norms, 10))), start + 10, ref low, ref next, ref at); }
        if (n > 11) { Keep(Fma.MultiplyAdd(minusTwo, a11, Vector256.Create(Unsafe.Add(ref norms, 11))), start + 11, ref low, ref next, ref at); }
        best = low;
        second = next;
        index = at;
    }

    /// <summary>
    /// Folds one centroid's values into (smallest, second smallest, index): the index moves on strictly less only, and
    /// x86 min/max return their second operand when either is NaN, so a NaN or an equal value leaves
    /// second = smallest (gap 0 or NaN: not certified).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Keep(Vector256<float> value, int candidate, ref Vector256<float> best, ref Vector256<float> second, ref Vector256<float> index)
    {
        var less = Avx.CompareLessThan(value, best);
        second = Avx.Min(second, Avx.Max(value, best));
        best = Avx.Min(value, best);
        index = Avx.BlendVariable(index, Vector256.Create((float)candidate), less);
    }

    /// <summary>The float at or above <paramref name="value"/>.</summary>
    private static float RoundUp(double value)
    {
        float f = (float)value;
        return f < value ? MathF.BitIncrement(f) : f;
    }
}
