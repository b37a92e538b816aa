using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Distal.Kernels;

namespace Distal.Algorithms;

/// <summary>
/// The one pass over the rows that k-means++ makes per centre: it applies the kept centre of the previous step
/// (D² ← min(D², d), deferred to here so that no separate pass over all rows is needed for it) and sums, per block and
/// per new trial, the exact quantised weights w·min(D², d_t), with their maxima.
/// </summary>
internal sealed partial class DistanceWeightedSampler<T>
{
    /// <summary>Rows per chunk of distances: the chunk's distances (one row of them per centre) stay in L1.</summary>
    private const int ChunkRows = 256;

    /// <summary>
    /// Applies the pending centre to every row (collectively harmless: local). Needed before anything reads D² or the
    /// nearest centres as a whole: totals, new centres, the nearest-centre list.
    /// </summary>
    private void Settle()
    {
        if (_pending is not { } pending)
        {
            return;
        }

        int ranges = RowRanges.Count(Blocks, BlockRows * _rows.Columns, _threads);
        RowRanges.Run(Blocks, ranges, _threads, (_, first, last) => Pass(pending, first, last, [], []));
        _pending = null;
    }

    /// <summary>Applies the pending centre to the rows of block <paramref name="b"/> only (a draw looks inside it).</summary>
    private void SettleBlock(int b)
    {
        if (_pending is { } pending)
        {
            // min(D², d) is idempotent and "d < D²" fails once applied, so the pass that later settles all rows may
            // apply it again.
            Pass(pending, b, b + 1, [], []);
        }
    }

    /// <summary>
    /// Blocks [<paramref name="firstBlock"/>, <paramref name="lastBlock"/>): first the plan's pending centre, if any,
    /// then per trial the block sums of the quantised weights into <paramref name="blockPotentials"/>[b·trials + t] and
    /// the largest weight into <paramref name="maxima"/>[t] (which must start at 0).
    /// </summary>
    // Optimized at the first call: the pass runs once per centre, so tiering would leave the first passes (and the
    // helpers they call, uninlined) in tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Pass(PassPlan plan, int firstBlock, int lastBlock, Span<long> blockPotentials, Span<double> maxima)
    {
        int p = _rows.Columns;
        int count = plan.Centres.Length / p;
        int trials = plan.Trials;
        var distances = new double[count * ChunkRows];
        double[] packed = plan.Lanes is null ? [] : new double[TrialDistances.ScratchLength(p)];
        double[] buffer = typeof(T) == typeof(double) ? [] : new double[ChunkRows * p];
        bool vectorised = plan.Lanes is not null && plan.Quantizer.IsVectorisable;
        var sums = new long[trials];
        var lanes = new Vector256<long>[vectorised ? trials : 0];
        var laneMaxima = new Vector256<double>[lanes.Length];
        ReadOnlySpan<T> all = _rows.Local.Span;
        for (int b = firstBlock; b < lastBlock; b++)
        {
            Array.Clear(sums);
            Array.Clear(lanes);
            var (start, end) = BlockRange(b);
            for (int s = start; s < end; s += ChunkRows)
            {
                int rows = Math.Min(end - s, ChunkRows);
                ReadOnlySpan<double> x = RowValues.AsDouble(all.Slice(s * p, rows * p), buffer);
                if (plan.Lanes is not null)
                {
                    plan.Lanes.ComputeRows(x, rows, distances, ChunkRows, packed);
                }
                else
                {
                    for (int r = 0; r < rows; r++)
                    {
                        for (int t = 0; t < count; t++)
                        {
                            distances[(t * ChunkRows) + r] = SquaredDistance.Between(x.Slice(r * p, p), plan.Centres.AsSpan(t * p, p));
                        }
                    }
                }

                int done = 0;
                if (vectorised)
                {
                    done = rows / TrialDistances.Lanes * TrialDistances.Lanes;
                    WeighLanes(plan, s, done, distances, lanes, laneMaxima);
                }

                WeighRows(plan, s, done, rows, distances, sums, maxima);
            }

            for (int t = 0; t < trials; t++)
            {
                long sum = sums[t];
                if (vectorised)
                {
                    sum += Vector256.Sum(lanes[t]);
                }

                blockPotentials[(b * trials) + t] = sum;
            }
        }

        for (int t = 0; t < laneMaxima.Length; t++)
        {
            for (int lane = 0; lane < Vector256<double>.Count; lane++)
            {
                maxima[t] = Math.Max(maxima[t], laneMaxima[t].GetElement(lane));
            }
        }
    }

    /// <summary>
    /// Rows s + [0, <paramref name="rows"/>), four per register: the pending centre, then every trial's quantised
    /// weights into per-lane block sums (exact integers, so their order does not matter) and per-lane maxima.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WeighLanes(PassPlan plan, int s, int rows, ReadOnlySpan<double> distances, Span<Vector256<long>> sums, Span<Vector256<double>> maxima)
    {
        Span<double> d2s = _d2.AsSpan(s, rows);
        ref double d2Ref = ref MemoryMarshal.GetReference(d2s);
        ref double distance = ref MemoryMarshal.GetReference(distances);
        int first = 0;
        if (plan.Pending)
        {
            first = 1;
            Span<int> nearest = _nearest is null ? [] : _nearest.AsSpan(s, rows);
            int index = plan.PendingIndex;
            for (int r = 0; r < rows; r += TrialDistances.Lanes)
            {
                var d2 = Vector256.LoadUnsafe(ref d2Ref, (nuint)r);
                var d = Vector256.LoadUnsafe(ref distance, (nuint)r);
                var less = Vector256.LessThan(d, d2);
                if (!nearest.IsEmpty)
                {
                    for (uint bits = less.ExtractMostSignificantBits(); bits != 0; bits &= bits - 1)
                    {
                        nearest[r + BitOperations.TrailingZeroCount(bits)] = index;
                    }
                }

                Vector256.ConditionalSelect(less, d, d2).StoreUnsafe(ref d2Ref, (nuint)r);
            }
        }

        // Up to four trials per sweep of the chunk, their sums and maxima in registers (through the spans, the loads
        // and stores of the running sums cost about as much as the arithmetic).
        for (int t = 0; t < plan.Trials; t += 4)
        {
            Weigh4(plan.Quantizer, rows, Math.Min(4, plan.Trials - t), ref d2Ref, ref Unsafe.Add(ref distance, (first + t) * ChunkRows), s, sums[t..], maxima[t..]);
        }
    }

    /// <summary>
    /// Trials [0, <paramref name="n"/> ≤ 4) of one chunk: w·min(D², d) quantised into <paramref name="sums"/> and
    /// maximised into <paramref name="maxima"/>. Unweighted, w·x is x itself, so the product is left out.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Weigh4(WeightQuantizer quantizer, int rows, int n, ref double d2Ref, ref double distance, int s, Span<Vector256<long>> sums, Span<Vector256<double>> maxima)
    {
        ReadOnlySpan<double> weights = _weights is null ? [] : _weights.AsSpan(s, rows);
        var scale = Vector256.Create(quantizer.Scale);
        var magic = Vector256.Create(WeightQuantizer.Magic);
        var magicBits = Vector256.Create(WeightQuantizer.MagicBits);
        ref double d1 = ref Unsafe.Add(ref distance, ChunkRows);
        ref double d2 = ref Unsafe.Add(ref distance, 2 * ChunkRows);
        ref double d3 = ref Unsafe.Add(ref distance, 3 * ChunkRows);
        Vector256<long> s0 = sums[0], s1 = default, s2 = default, s3 = default;
        Vector256<double> m0 = maxima[0], m1 = default, m2 = default, m3 = default;
        if (n > 1) { s1 = sums[1]; m1 = maxima[1]; }
        if (n > 2) { s2 = sums[2]; m2 = maxima[2]; }
        if (n > 3) { s3 = sums[3]; m3 = maxima[3]; }
        bool weighted = !weights.IsEmpty;
        for (int r = 0; r < rows; r += TrialDistances.Lanes)
        {
            var current = Vector256.LoadUnsafe(ref d2Ref, (nuint)r);
            var w = weighted ? Vector256.Create<double>(weights.Slice(r, 4)) : Vector256<double>.One;
            var weight = Vector256.Min(current, Vector256.LoadUnsafe(ref distance, (nuint)r));
            weight = weighted ? w * weight : weight;
            s0 += ((weight * scale) + magic).AsInt64() - magicBits;
            m0 = Vector256.Max(m0, weight);
            if (n > 1)
            {
                weight = Vector256.Min(current, Vector256.LoadUnsafe(ref d1, (nuint)r));
                weight = weighted ? w * weight : weight;
                s1 += ((weight * scale) + magic).AsInt64() - magicBits;
                m1 = Vector256.Max(m1, weight);
            }

            if (n > 2)
            {
                weight = Vector256.Min(current, Vector256.LoadUnsafe(ref d2, (nuint)r));
                weight = weighted ? w * weight : weight;
                s2 += ((weight * scale) + magic).AsInt64() - magicBits;
                m2 = Vector256.Max(m2, weight);
            }

            if (n > 3)
            {
                weight = Vector256.Min(current, Vector256.LoadUnsafe(ref d3, (nuint)r));
                weight = weighted ? w * weight : weight;
                s3 += ((weight * scale) + magic).AsInt64() - magicBits;
                m3 = Vector256.Max(m3, weight);
            }
        }

        sums[0] = s0;
        maxima[0] = m0;
        if (n > 1) { sums[1] = s1; maxima[1] = m1; }
        if (n > 2) { sums[2] = s2; maxima[2] = m2; }
        if (n > 3) { sums[3] = s3; maxima[3] = m3; }
    }

    /// <summary>Rows s + [<paramref name="from"/>, <paramref name="to"/>) one at a time: the same as <see cref="WeighLanes"/>, with <see cref="WeightQuantizer.Apply"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WeighRows(PassPlan plan, int s, int from, int to, ReadOnlySpan<double> distances, Span<long> sums, Span<double> maxima)
    {
        int first = plan.Pending ? 1 : 0;
        var quantizer = plan.Quantizer;
        for (int r = from; r < to; r++)
        {
            int i = s + r;
            double d2 = _d2[i];
            if (first == 1 && distances[r] < d2)
            {
                d2 = distances[r];
                _d2[i] = d2;
                if (_nearest is not null)
                {
                    _nearest[i] = plan.PendingIndex;
                }
            }

            double w = _weights?[i] ?? 1.0;
            for (int t = 0; t < plan.Trials; t++)
            {
                double weight = w * Math.Min(d2, distances[((first + t) * ChunkRows) + r]);
                sums[t] += quantizer.Apply(weight);
                maxima[t] = Math.Max(maxima[t], weight);
            }
        }
    }

    /// <summary>
    /// What one pass computes against: <see cref="Centres"/> (row-major) is the pending centre, when
    /// <see cref="Pending"/>, followed by <see cref="Trials"/> trial candidates; <see cref="Lanes"/> holds them for the
    /// 256-bit kernel (null below 256 bits).
    /// </summary>
    private sealed record PassPlan(double[] Centres, bool Pending, int PendingIndex, int Trials, TrialDistances? Lanes, WeightQuantizer Quantizer)
    {
        public static PassPlan Of(double[] centres, bool pending, int pendingIndex, int trials, int columns, WeightQuantizer quantizer)
            => new(centres, pending, pendingIndex, trials, TrialDistances.IsAccelerated ? new TrialDistances(centres, centres.Length / columns, columns) : null, quantizer);
    }
}
