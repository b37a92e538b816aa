using System.Numerics;
using Distal.Communication;

namespace Distal.Algorithms.KMeans;

/// <summary>
/// The state shared by k-means++ and k-means‖: every local row's squared distance D² to the nearest centre chosen so
/// far, and draws of global rows with probability proportional to w·D² (w = 1, or the row's weight).
/// </summary>
/// <remarks>
/// Bit-identical results on any partitioning need sums that do not depend on the order of addition. The weights are
/// therefore quantised to integers, ⌊w·D² · 2^(61 − ⌊log₂ max⌋)⌋ (so each fits in 62 bits), and summed exactly in
/// 128 bits; the draw of a row and the comparison of trials use only those exact integers. A row whose weight is
/// below max·2⁻⁶¹ gets weight 0 — a probability change far below anything observable.
/// </remarks>
internal sealed class DistanceWeightedSampler<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly GlobalRows<T> _rows;
    private readonly double[]? _weights;
    private readonly double[] _d2;
    private readonly int[]? _nearest;
    private readonly List<double> _centres = [];
    private readonly CounterBasedRandom _random;
    private readonly RandomPurpose _purpose;
    private readonly int _threads;
    private double _localMax;
    private Quantizer _quantizer;
    private Int128[] _rankTotals = [];
    private double[] _trialDistances = [];

    /// <param name="rows">This rank's rows in the global order.</param>
    /// <param name="weights">Per local row weights, or null for weight 1.</param>
    /// <param name="trackNearest">Whether to keep, per row, the index of the nearest centre (ties: the lowest index).</param>
    /// <param name="random">The stream.</param>
    /// <param name="purpose">The stream's purpose for the weighted draws.</param>
    /// <param name="threads">Threads for the passes over the rows.</param>
    public DistanceWeightedSampler(GlobalRows<T> rows, double[]? weights, bool trackNearest, CounterBasedRandom random, RandomPurpose purpose, int threads)
    {
        _rows = rows;
        _weights = weights;
        _d2 = new double[rows.LocalRows];
        _nearest = trackNearest ? new int[rows.LocalRows] : null;
        _random = random;
        _purpose = purpose;
        _threads = threads;
        _localMax = weights is null ? (rows.LocalRows > 0 ? 1 : 0) : Max(weights);
    }

    public int CentreCount => _centres.Count / Math.Max(1, _rows.Columns);

    /// <summary>The centres chosen so far, row-major.</summary>
    public double[] Centres => [.. _centres];

    /// <summary>Per local row, the index of its nearest centre (when tracked).</summary>
    public ReadOnlySpan<int> Nearest => _nearest;

    private Communicator Communicator => _rows.Communicator;

    /// <summary>The current weight of local row <paramref name="i"/>: w·D², or w before any centre is chosen.</summary>
    private double WeightOf(int i)
    {
        double w = _weights?[i] ?? 1.0;
        return CentreCount == 0 ? w : w * _d2[i];
    }

    /// <summary>
    /// Collective: fixes the quantisation from the global maximum weight and learns every rank's exact total, which
    /// <see cref="Sample"/> and <see cref="ChooseBestTrial"/> use. Call after the centres last changed.
    /// </summary>
    public void PrepareTotals()
    {
        double max = Communicator.Allreduce(_localMax, ReduceOperation.Max);
        _quantizer = new Quantizer(max);
        int n = _rows.LocalRows;
        int ranges = RowRanges.Count(n, 1, _threads);
        var partial = new Int128[ranges];
        RowRanges.Run(n, ranges, (r, start, end) =>
        {
            Int128 sum = 0;
            for (int i = start; i < end; i++)
            {
                sum += _quantizer.Apply(WeightOf(i));
            }

            partial[r] = sum;
        });

        Int128 local = 0;
        foreach (var s in partial)
        {
            local += s;
        }

        _rankTotals = AllgatherInt128(Communicator, [local]);
    }

    /// <summary>
    /// Collective: draws <paramref name="draws"/> global rows with probability proportional to their weight (uniformly
    /// over all rows when every weight is zero). Returns the same global indices on every rank.
    /// </summary>
    public long[] Sample(ulong step, int draws)
    {
        Int128 total = 0;
        Int128 prefix = 0;
        for (int r = 0; r < _rankTotals.Length; r++)
        {
            if (r == Communicator.Rank)
            {
                prefix = total;
            }

            total += _rankTotals[r];
        }

        var chosen = new long[draws];
        if (total == 0)
        {
            for (int d = 0; d < draws; d++)
            {
                chosen[d] = (long)_random.Below((ulong)_rows.Total, _purpose, step, (ulong)d);
            }

            return chosen;
        }

        // The owner of each target u (prefix ≤ u < prefix + own total) finds the row whose weight interval holds u.
        Int128 own = _rankTotals[Communicator.Rank];
        var targets = new List<(Int128 U, int Draw)>();
        for (int d = 0; d < draws; d++)
        {
            ulong bits = _random.Bits(_purpose, step, (ulong)d);
            Int128 u = ScaleBelow(total, bits);
            chosen[d] = -1;
            if (u >= prefix && u < prefix + own)
            {
                targets.Add((u - prefix, d));
            }
        }

        if (targets.Count > 0)
        {
            targets.Sort((a, b) => a.U.CompareTo(b.U));
            int next = 0;
            Int128 cumulative = 0;
            for (int i = 0; i < _rows.LocalRows && next < targets.Count; i++)
            {
                cumulative += _quantizer.Apply(WeightOf(i));
                while (next < targets.Count && targets[next].U < cumulative)
                {
                    chosen[targets[next].Draw] = _rows.Offset + i;
                    next++;
                }
            }
        }

        Communicator.Allreduce<long>(chosen, ReduceOperation.Max);
        return chosen;
    }

    /// <summary>Adds <paramref name="centres"/> (row-major) and lowers every row's D² accordingly. Local.</summary>
    public void AddCentres(ReadOnlySpan<double> centres)
    {
        int p = _rows.Columns;
        int first = CentreCount;
        int count = centres.Length / p;
        bool initial = first == 0;
        double[] added = centres.ToArray();
        _centres.AddRange(added);
        int n = _rows.LocalRows;
        int ranges = RowRanges.Count(n, p * count, _threads);
        var maxima = new double[ranges];
        RowRanges.Run(n, ranges, (r, start, end) =>
        {
            double[] buffer = typeof(T) == typeof(double) ? [] : new double[p];
            double max = 0;
            for (int i = start; i < end; i++)
            {
                ReadOnlySpan<double> x = RowValues.AsDouble<T>(_rows.Local.Row(i), buffer);
                double best = initial ? double.PositiveInfinity : _d2[i];
                int nearest = initial ? -1 : _nearest?[i] ?? 0;
                for (int c = 0; c < count; c++)
                {
                    double d = SquaredDistance.Between(x, added.AsSpan(c * p, p));
                    if (d < best)
                    {
                        best = d;
                        nearest = first + c;
                    }
                }

                _d2[i] = best;
                if (_nearest is not null)
                {
                    _nearest[i] = nearest;
                }

                max = Math.Max(max, (_weights?[i] ?? 1.0) * best);
            }

            maxima[r] = max;
        });

        _localMax = n == 0 ? 0 : Max(maxima);
    }

    /// <summary>
    /// Collective: of <paramref name="trials"/> candidate centres (row-major, the same on every rank), keeps the one
    /// that leaves the smallest total weight Σ w·min(D², ‖x − candidate‖²) — exact quantised sums, ties to the lowest
    /// trial — and adds it. Requires <see cref="PrepareTotals"/> since the centres last changed. Returns its index.
    /// </summary>
    public int ChooseBestTrial(double[] candidates, int trials)
    {
        int p = _rows.Columns;
        int n = _rows.LocalRows;
        if (_trialDistances.Length < (long)n * trials)
        {
            _trialDistances = new double[checked(n * trials)];
        }

        int ranges = RowRanges.Count(n, p * trials, _threads);
        var potentials = new Int128[ranges * trials];
        var quantizer = _quantizer;
        RowRanges.Run(n, ranges, (r, start, end) =>
        {
            double[] buffer = typeof(T) == typeof(double) ? [] : new double[p];
            Span<Int128> potential = potentials.AsSpan(r * trials, trials);
            for (int i = start; i < end; i++)
            {
                ReadOnlySpan<double> x = RowValues.AsDouble<T>(_rows.Local.Row(i), buffer);
                double w = _weights?[i] ?? 1.0;
                double d2 = _d2[i];
                for (int t = 0; t < trials; t++)
                {
                    double d = SquaredDistance.Between(x, candidates.AsSpan(t * p, p));
                    _trialDistances[(i * trials) + t] = d;
                    potential[t] += quantizer.Apply(w * Math.Min(d2, d));
                }
            }
        });

        var local = new Int128[trials];
        for (int r = 0; r < ranges; r++)
        {
            for (int t = 0; t < trials; t++)
            {
                local[t] += potentials[(r * trials) + t];
            }
        }

        Int128[] all = AllgatherInt128(Communicator, local);
        int best = 0;
        Int128 bestPotential = Int128.MaxValue;
        for (int t = 0; t < trials; t++)
        {
            Int128 sum = 0;
            for (int r = 0; r < Communicator.Size; r++)
            {
                sum += all[(r * trials) + t];
            }

            if (sum < bestPotential)
            {
                bestPotential = sum;
                best = t;
            }
        }

        int index = CentreCount;
        _centres.AddRange(candidates.AsSpan(best * p, p));
        double max = 0;
        for (int i = 0; i < n; i++)
        {
            double d = _trialDistances[(i * trials) + best];
            if (d < _d2[i])
            {
                _d2[i] = d;
                if (_nearest is not null)
                {
                    _nearest[i] = index;
                }
            }

            max = Math.Max(max, (_weights?[i] ?? 1.0) * _d2[i]);
        }

        _localMax = max;
        return best;
    }

    /// <summary>
    /// Collective: one k-means++ step — draws <paramref name="trials"/> candidates ∝ w·D² and keeps the best (the
    /// first centre is a single draw ∝ w).
    /// </summary>
    public void AddPlusPlusCentre(ulong step, int trials)
    {
        PrepareTotals();
        int draws = CentreCount == 0 ? 1 : trials;
        long[] rows = Sample(step, draws);
        double[] candidates = _rows.FetchRows(rows);
        if (draws == 1)
        {
            AddCentres(candidates);
        }
        else
        {
            ChooseBestTrial(candidates, draws);
        }
    }

    /// <summary>The exact total weight over all ranks (after <see cref="PrepareTotals"/>).</summary>
    public Int128 GlobalTotal
    {
        get
        {
            Int128 total = 0;
            foreach (var t in _rankTotals)
            {
                total += t;
            }

            return total;
        }
    }

    /// <summary>The quantised current weight of local row <paramref name="i"/> (after <see cref="PrepareTotals"/>).</summary>
    public long QuantizedWeight(int i) => _quantizer.Apply(WeightOf(i));

    /// <summary>⌊total · bits / 2⁶⁴⌋: a uniform integer in [0, total).</summary>
    private static Int128 ScaleBelow(Int128 total, ulong bits)
    {
        var product = (BigInteger)total * bits;
        return (Int128)(product >> 64);
    }

    private static Int128[] AllgatherInt128(Communicator communicator, ReadOnlySpan<Int128> values)
    {
        var halves = new long[values.Length * 2];
        for (int i = 0; i < values.Length; i++)
        {
            halves[2 * i] = (long)(ulong)(values[i] >> 64);
            halves[(2 * i) + 1] = (long)(ulong)values[i];
        }

        long[] all = communicator.AllgatherV<long>(halves, out _);
        var result = new Int128[all.Length / 2];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = new Int128((ulong)all[2 * i], (ulong)all[(2 * i) + 1]);
        }

        return result;
    }

    private static double Max(ReadOnlySpan<double> values)
    {
        double max = 0;
        foreach (double v in values)
        {
            max = Math.Max(max, v);
        }

        return max;
    }

    /// <summary>Maps a non-negative weight to an integer of at most 62 bits, relative to the global maximum.</summary>
    private readonly struct Quantizer
    {
        private readonly int _shift;
        private readonly double _scale;
        private readonly bool _zero;

        public Quantizer(double max)
        {
            _zero = !(max > 0) || double.IsInfinity(max);
            _shift = _zero ? 0 : 61 - Math.ILogB(max);
            _scale = _shift is > -1000 and < 1000 ? Math.ScaleB(1.0, _shift) : 0;
        }

        public long Apply(double weight)
            => _zero ? 0 : _scale != 0 ? (long)(weight * _scale) : (long)Math.ScaleB(weight, _shift);
    }
}
