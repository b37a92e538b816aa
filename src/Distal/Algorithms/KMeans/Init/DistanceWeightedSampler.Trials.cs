using System.Numerics;
using Distal.Communication;

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

        // The previous step's kept centre is applied in this same pass, as its first centre.
        bool pending = _pending is not null;
        double[] centres = pending ? [.. _pending!.Centres, .. candidates.AsSpan(0, trials * p)] : candidates[..(trials * p)];
        var plan = PassPlan.Of(centres, pending, _pending?.PendingIndex ?? 0, trials, p, _quantizer);
        var blockPotentials = new long[Blocks * trials];
        int ranges = RowRanges.Count(Blocks, BlockRows * p * (centres.Length / p), _threads);
        var maxima = new double[ranges * trials];
        RowRanges.Run(Blocks, ranges, _threads, (r, firstBlock, lastBlock) => Pass(plan, firstBlock, lastBlock, blockPotentials, maxima.AsSpan(r * trials, trials)));
        _pending = null;

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
                max = Math.Max(max, maxima[(r * trials) + t]);
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
        double[] kept = candidates[(best * p)..((best + 1) * p)];
        _centres.AddRange(kept);
        _rankTotals = new Int128[size];
        double globalMax = 0;
        for (int r = 0; r < size; r++)
        {
            _rankTotals[r] = Potential(all, (r * trials) + best);
            globalMax = Math.Max(globalMax, BitConverter.Int64BitsToDouble(all[(3 * ((r * trials) + best)) + 2]));
        }

        for (int b = 0; b < Blocks; b++)
        {
            _blockTotals[b] = blockPotentials[(b * trials) + best];
        }

        // The new weights are known without touching the rows: the block totals and the maximum are the kept trial's.
        // D² itself is lowered later, in the next pass over the rows (or by Settle).
        double localMax = 0;
        for (int r = 0; r < ranges; r++)
        {
            localMax = Math.Max(localMax, maxima[(r * trials) + best]);
        }

        _localMax = localMax;
        _pending = PassPlan.Of(kept, pending: true, index, trials: 0, p, _quantizer);

        // The totals stay exact under the old quantisation; refix it only once the weights have shrunk far below it.
        _totalsCurrent = !(globalMax < _globalMax * RefixBelow);
        return best;
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
