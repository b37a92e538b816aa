using System.Numerics;
using System.Runtime.Intrinsics;
using Distal.Communication;
using Distal.Kernels;

namespace Distal.Algorithms;

/// <summary>The greedy trials of k-means++: the pass that compares candidate centres by their exact quantised potentials.</summary>
internal sealed partial class DistanceWeightedSampler<T>
{
    /// <summary>
    /// Collective: of <paramref name="trials"/> candidate centres (row-major, the same on every rank), keeps the one
    /// that leaves the smallest total weight Σ w·min(D², ‖x − candidate‖²) — exact quantised sums, ties to the lowest
    /// trial — and adds it. The pass that compares the trials also yields the new totals. Returns the trial kept.
    /// </summary>
    public int ChooseBestTrial(double[] candidates, int trials)
    {
        if (!_totalsCurrent)
        {
            PrepareTotals();
        }

        int p = _rows.Columns;
        int n = _rows.LocalRows;
        var vectorised = TrialDistances.IsAccelerated ? new TrialDistances(candidates, trials, p) : null;

        // Row i's distances sit at [i·stride, i·stride + trials): whole vectors on the vector path.
        int stride = vectorised?.BufferLength ?? trials;
        if (_trialDistances.Length < (long)n * stride)
        {
            _trialDistances = new double[checked(n * stride)];
        }

        var blockPotentials = new long[Blocks * trials];
        int ranges = RowRanges.Count(Blocks, BlockRows * p * trials, _threads);
        var maxima = new double[ranges * stride];
        var quantizer = _quantizer;
        RowRanges.Run(Blocks, ranges, (r, firstBlock, lastBlock) =>
        {
            if (vectorised is not null && quantizer.IsVectorisable)
            {
                PotentialsVectorised(vectorised, quantizer, firstBlock, lastBlock, blockPotentials, maxima.AsSpan(r * stride, stride));
            }
            else
            {
                PotentialsScalar(vectorised, candidates, trials, stride, quantizer, firstBlock, lastBlock, blockPotentials, maxima.AsSpan(r * stride, stride));
            }
        });

        // One exchange carries every rank's per-trial potential (128-bit) and maximum.
        var local = new long[trials * 3];
        for (int t = 0; t < trials; t++)
        {
            Int128 potential = 0;
            for (int b = 0; b < Blocks; b++)
            {
                potential += blockPotentials[(b * trials) + t];
            }

            double max = 0;
            for (int r = 0; r < ranges; r++)
            {
                max = Math.Max(max, maxima[(r * stride) + t]);
            }

            local[3 * t] = (long)(ulong)(potential >> 64);
            local[(3 * t) + 1] = (long)(ulong)potential;
            local[(3 * t) + 2] = BitConverter.DoubleToInt64Bits(max);
        }

        long[] all = Communicator.AllgatherV<long>(local, out _);
        int size = Communicator.Size;
        int best = 0;
        Int128 bestPotential = Int128.MaxValue;
        for (int t = 0; t < trials; t++)
        {
            Int128 sum = 0;
            for (int r = 0; r < size; r++)
            {
                sum += Potential(all, (r * trials) + t);
            }

            if (sum < bestPotential)
            {
                bestPotential = sum;
                best = t;
            }
        }

        int index = CentreCount;
        _centres.AddRange(candidates.AsSpan(best * p, p));
        _rankTotals = new Int128[size];
        double globalMax = 0;
        for (int r = 0; r < size; r++)
        {
            _rankTotals[r] = Potential(all, (r * trials) + best);
            globalMax = Math.Max(globalMax, BitConverter.Int64BitsToDouble(all[(3 * ((r * trials) + best)) + 2]));
        }

        double localMax = 0;
        for (int b = 0; b < Blocks; b++)
        {
            _blockTotals[b] = blockPotentials[(b * trials) + best];
        }

        int updateRanges = RowRanges.Count(n, trials, _threads);
        var updateMaxima = new double[updateRanges];
        RowRanges.Run(n, updateRanges, (r, start, end) => updateMaxima[r] = Update(start, end, stride, best, index));

        foreach (double m in updateMaxima)
        {
            localMax = Math.Max(localMax, m);
        }

        _localMax = localMax;

        // The totals stay exact under the old quantisation; refix it only once the weights have shrunk far below it.
        _totalsCurrent = !(globalMax < _globalMax * RefixBelow);
        return best;
    }

    /// <summary>
    /// Rows [<paramref name="start"/>, <paramref name="end"/>) take the kept trial's distance where it is smaller
    /// (and that centre as their nearest); returns the largest new weight. Spans and locals rather than fields in the
    /// loop: as a lambda over the fields this pass cost a quarter as much as the whole trial pass.
    /// </summary>
    private double Update(int start, int end, int stride, int best, int index)
    {
        ReadOnlySpan<double> trialDistances = _trialDistances;
        Span<double> d2 = _d2;
        Span<int> nearest = _nearest;
        ReadOnlySpan<double> weights = _weights;
        bool tracked = !nearest.IsEmpty;
        bool weighted = !weights.IsEmpty;
        double max = 0;
        for (int i = start; i < end; i++)
        {
            double d = trialDistances[(i * stride) + best];
            ref double current = ref d2[i];
            if (d < current)
            {
                current = d;
                if (tracked)
                {
                    nearest[i] = index;
                }
            }

            max = Math.Max(max, (weighted ? weights[i] : 1.0) * current);
        }

        return max;
    }

    /// <summary>
    /// The trial pass over blocks [<paramref name="firstBlock"/>, <paramref name="lastBlock"/>) with whole vectors:
    /// four trials per register for the distances, min(D², d)·w, the quantisation, the block sums and the maxima.
    /// </summary>
    private void PotentialsVectorised(TrialDistances vectorised, WeightQuantizer quantizer, int firstBlock, int lastBlock, long[] blockPotentials, Span<double> maxima)
    {
        int p = _rows.Columns;
        int trials = vectorised.Count;
        int stride = vectorised.BufferLength;
        int groups = stride / Vector256<double>.Count;
        double[] buffer = typeof(T) == typeof(double) ? [] : new double[BlockRows * p];
        Span<Vector256<long>> sums = stackalloc Vector256<long>[groups];
        Span<Vector256<double>> max = stackalloc Vector256<double>[groups];
        max.Clear();
        ReadOnlySpan<T> all = _rows.Local.Span;
        ReadOnlySpan<double> d2s = _d2;
        ReadOnlySpan<double> weights = _weights;
        Span<double> trialDistances = _trialDistances;
        var scale = Vector256.Create(quantizer.Scale);
        var magic = Vector256.Create(WeightQuantizer.Magic);
        var magicBits = Vector256.Create(WeightQuantizer.MagicBits);
        for (int b = firstBlock; b < lastBlock; b++)
        {
            sums.Clear();
            var (start, end) = BlockRange(b);

            // The block's distances first (four rows per step), then the weights while they are still in L1.
            ReadOnlySpan<double> x = RowValues.AsDouble(all.Slice(start * p, (end - start) * p), buffer);
            vectorised.ComputeRows(x, end - start, trialDistances.Slice(start * stride, (end - start) * stride));
            for (int i = start; i < end; i++)
            {
                ReadOnlySpan<double> distances = trialDistances.Slice(i * stride, stride);
                var d2 = Vector256.Create(d2s[i]);
                var w = Vector256.Create(weights.IsEmpty ? 1.0 : weights[i]);
                for (int g = 0; g < groups; g++)
                {
                    var weight = w * Vector256.Min(d2, Vector256.Create<double>(distances.Slice(g * 4, 4)));
                    sums[g] += ((weight * scale) + magic).AsInt64() - magicBits;
                    max[g] = Vector256.Max(max[g], weight);
                }
            }

            for (int t = 0; t < trials; t++)
            {
                blockPotentials[(b * trials) + t] = sums[t / 4].GetElement(t % 4);
            }
        }

        for (int t = 0; t < trials; t++)
        {
            maxima[t] = max[t / 4].GetElement(t % 4);
        }
    }

    /// <summary>The trial pass one trial at a time (no Vector256, or a quantisation outside the double range).</summary>
    private void PotentialsScalar(TrialDistances? vectorised, double[] candidates, int trials, int stride, WeightQuantizer quantizer, int firstBlock, int lastBlock, long[] blockPotentials, Span<double> maxima)
    {
        int p = _rows.Columns;
        double[] buffer = typeof(T) == typeof(double) ? [] : new double[p];
        Span<long> sums = stackalloc long[trials];
        ReadOnlySpan<T> all = _rows.Local.Span;
        for (int b = firstBlock; b < lastBlock; b++)
        {
            sums.Clear();
            var (start, end) = BlockRange(b);
            for (int i = start; i < end; i++)
            {
                ReadOnlySpan<double> x = RowValues.AsDouble(all.Slice(i * p, p), buffer);
                Span<double> distances = _trialDistances.AsSpan(i * stride, stride);
                if (vectorised is not null)
                {
                    vectorised.Compute(x, distances);
                }
                else
                {
                    for (int t = 0; t < trials; t++)
                    {
                        distances[t] = SquaredDistance.Between(x, candidates.AsSpan(t * p, p));
                    }
                }

                double w = _weights?[i] ?? 1.0;
                for (int t = 0; t < trials; t++)
                {
                    double weight = w * Math.Min(_d2[i], distances[t]);
                    sums[t] += quantizer.Apply(weight);
                    maxima[t] = Math.Max(maxima[t], weight);
                }
            }

            sums.CopyTo(blockPotentials.AsSpan(b * trials, trials));
        }
    }

    /// <summary>
    /// Collective: one k-means++ step — draws <paramref name="trials"/> candidates ∝ w·D² and keeps the best (the
    /// first centre is a single draw ∝ w).
    /// </summary>
    public void AddPlusPlusCentre(ulong step, int trials)
    {
        bool first = CentreCount == 0;
        long[] rows = Sample(step, first ? 1 : trials);
        double[] candidates = _rows.FetchRows(rows);
        if (first)
        {
            AddCentres(candidates);
        }
        else
        {
            ChooseBestTrial(candidates, trials);
        }
    }
}
