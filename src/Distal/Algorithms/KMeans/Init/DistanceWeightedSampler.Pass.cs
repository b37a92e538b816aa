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
        RowRanges.Run(Blocks, ranges, (_, first, last) => Pass(pending, first, last, [], []));
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
    /// Spans and locals rather than fields in the loop, as the fields kept the JIT from holding them in registers.
    /// </summary>
    private void WeighLanes(PassPlan plan, int s, int rows, ReadOnlySpan<double> distances, Span<Vector256<long>> sums, Span<Vector256<double>> maxima)
    {
        Span<double> d2s = _d2.AsSpan(s, rows);
        Span<int> nearest = _nearest is null ? [] : _nearest.AsSpan(s, rows);
        ReadOnlySpan<double> weights = _weights is null ? [] : _weights.AsSpan(s, rows);
        int first = plan.Pending ? 1 : 0;
        int trials = plan.Trials;
        int index = plan.PendingIndex;
        var scale = Vector256.Create(plan.Quantizer.Scale);
        var magic = Vector256.Create(WeightQuantizer.Magic);
        var magicBits = Vector256.Create(WeightQuantizer.MagicBits);
        ref double d2Ref = ref MemoryMarshal.GetReference(d2s);
        ref double distance = ref MemoryMarshal.GetReference(distances);
        for (int r = 0; r < rows; r += TrialDistances.Lanes)
        {
            var d2 = Vector256.LoadUnsafe(ref d2Ref, (nuint)r);
            if (first == 1)
            {
                var d = Vector256.LoadUnsafe(ref distance, (nuint)r);
                var less = Vector256.LessThan(d, d2);
                if (!nearest.IsEmpty)
                {
                    for (uint bits = less.ExtractMostSignificantBits(); bits != 0; bits &= bits - 1)
                    {
                        nearest[r + BitOperations.TrailingZeroCount(bits)] = index;
                    }
                }

                d2 = Vector256.ConditionalSelect(less, d, d2);
                d2.StoreUnsafe(ref d2Ref, (nuint)r);
            }

            var w = weights.IsEmpty ? Vector256<double>.One : Vector256.Create<double>(weights.Slice(r, 4));
            for (int t = 0; t < trials; t++)
            {
                var d = Vector256.LoadUnsafe(ref distance, (nuint)(((first + t) * ChunkRows) + r));
                var weight = w * Vector256.Min(d2, d);
                sums[t] += ((weight * scale) + magic).AsInt64() - magicBits;
                maxima[t] = Vector256.Max(maxima[t], weight);
            }
        }
    }

    /// <summary>Rows s + [<paramref name="from"/>, <paramref name="to"/>) one at a time: the same as <see cref="WeighLanes"/>, with <see cref="WeightQuantizer.Apply"/>.</summary>
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
