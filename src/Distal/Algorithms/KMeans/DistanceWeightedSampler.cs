using System.Numerics;
using System.Runtime.Intrinsics;
using Distal.Communication;

namespace Distal.Algorithms;

/// <summary>
/// The state shared by k-means++ and k-means‖: every local row's squared distance D² to the nearest centre chosen so
/// far, and draws of global rows with probability proportional to w·D² (w = 1, or the row's weight).
/// </summary>
/// <remarks>
/// Bit-identical results on any partitioning need sums that do not depend on the order of addition. The weights are
/// therefore quantised to integers, w·D² · 2^(50 − ⌊log₂ M⌋) rounded, with M ≥ every weight (so each is at most 2⁵¹),
/// and summed exactly: in 64 bits over blocks of <see cref="BlockRows"/> rows, then in 128 bits. Draws of a row and the
/// comparison of greedy trials use only these exact integers. A weight below M·2⁻⁵¹ rounds to 0 — a probability far
/// below anything observable. M is the global maximum when the quantisation is (re)fixed; as D² only shrinks it stays
/// an upper bound, and the quantisation is refixed when the maximum falls below M·2⁻²⁰, so the largest weights keep ≥ 30 bits.
/// </remarks>
internal sealed class DistanceWeightedSampler<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Rows per exact 64-bit block sum: 2¹⁰ weights of at most 2⁵¹ cannot overflow.</summary>
    private const int BlockRows = 1 << 10;

    /// <summary>Refix the quantisation when the maximum weight has fallen by more than this factor.</summary>
    private const double RefixBelow = 1.0 / (1 << 20);

    private readonly GlobalRows<T> _rows;
    private readonly double[]? _weights;
    private readonly double[] _d2;
    private readonly int[]? _nearest;
    private readonly List<double> _centres = [];
    private readonly CounterBasedRandom _random;
    private readonly RandomPurpose _purpose;
    private readonly int _threads;
    private readonly long[] _blockTotals;
    private double _localMax;
    private double _globalMax;
    private Quantizer _quantizer;
    private bool _totalsCurrent;
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
        _blockTotals = new long[(rows.LocalRows + BlockRows - 1) / BlockRows];
        _localMax = weights is null ? (rows.LocalRows > 0 ? 1 : 0) : Max(weights);
    }

    public int CentreCount => _centres.Count / Math.Max(1, _rows.Columns);

    /// <summary>The centres chosen so far, row-major.</summary>
    public double[] Centres => [.. _centres];

    /// <summary>Per local row, the index of its nearest centre (when tracked).</summary>
    public ReadOnlySpan<int> Nearest => _nearest;

    /// <summary>The exact total weight over all ranks (after <see cref="PrepareTotals"/> or a trial choice).</summary>
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

    private Communicator Communicator => _rows.Communicator;

    private int Blocks => _blockTotals.Length;

    /// <summary>
    /// Collective: fixes the quantisation from the global maximum weight and computes every block's and rank's exact
    /// total. Needed after <see cref="AddCentres"/>; <see cref="ChooseBestTrial"/> keeps the totals current itself.
    /// </summary>
    public void PrepareTotals()
    {
        _globalMax = Communicator.Allreduce(_localMax, ReduceOperation.Max);
        _quantizer = new Quantizer(_globalMax);
        int ranges = RowRanges.Count(Blocks, BlockRows, _threads);
        RowRanges.Run(Blocks, ranges, (_, first, last) =>
        {
            for (int b = first; b < last; b++)
            {
                var (start, end) = BlockRange(b);
                long sum = 0;
                for (int i = start; i < end; i++)
                {
                    sum += QuantizedWeight(i);
                }

                _blockTotals[b] = sum;
            }
        });

        _rankTotals = AllgatherInt128(Communicator, [SumOf(_blockTotals)]);
        _totalsCurrent = true;
    }

    /// <summary>The quantised current weight of local row <paramref name="i"/> (totals must be current).</summary>
    public long QuantizedWeight(int i) => _quantizer.Apply(WeightOf(i));

    /// <summary>
    /// Collective: draws <paramref name="draws"/> global rows with probability proportional to their weight (uniformly
    /// over all rows when every weight is zero). Returns the same global indices on every rank.
    /// </summary>
    public long[] Sample(ulong step, int draws)
    {
        if (!_totalsCurrent)
        {
            PrepareTotals();
        }

        Int128 total = GlobalTotal;
        Int128 prefix = 0;
        for (int r = 0; r < Communicator.Rank; r++)
        {
            prefix += _rankTotals[r];
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

        Int128 own = _rankTotals[Communicator.Rank];

        // Only the rank that owns a drawn row looks it up: agreed, so a failure there is not left for the others to
        // wait on in the allreduce below.
        Communicator.Collectively(() =>
        {
            for (int d = 0; d < draws; d++)
            {
                Int128 u = ScaleBelow(total, _random.Bits(_purpose, step, (ulong)d));
                chosen[d] = u >= prefix && u < prefix + own ? _rows.Offset + FindRow(u - prefix) : -1;
            }
        });

        Communicator.Allreduce<long>(chosen, ReduceOperation.Max);
        return chosen;
    }

    /// <summary>Adds <paramref name="centres"/> (row-major) and lowers every row's D² accordingly. Local; totals become stale.</summary>
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
            ReadOnlySpan<T> all = _rows.Local.Span;
            double max = 0;
            for (int i = start; i < end; i++)
            {
                ReadOnlySpan<double> x = RowValues.AsDouble(all.Slice(i * p, p), buffer);
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
        _totalsCurrent = false;
    }

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
        RowRanges.Run(n, updateRanges, (r, start, end) =>
        {
            double max = 0;
            for (int i = start; i < end; i++)
            {
                double d = _trialDistances[(i * stride) + best];
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

            updateMaxima[r] = max;
        });

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
    /// The trial pass over blocks [<paramref name="firstBlock"/>, <paramref name="lastBlock"/>) with whole vectors:
    /// four trials per register for the distances, min(D², d)·w, the quantisation, the block sums and the maxima.
    /// </summary>
    private void PotentialsVectorised(TrialDistances vectorised, Quantizer quantizer, int firstBlock, int lastBlock, long[] blockPotentials, Span<double> maxima)
    {
        int p = _rows.Columns;
        int trials = vectorised.Count;
        int stride = vectorised.BufferLength;
        int groups = stride / Vector256<double>.Count;
        double[] buffer = typeof(T) == typeof(double) ? [] : new double[p];
        Span<Vector256<long>> sums = stackalloc Vector256<long>[groups];
        Span<Vector256<double>> max = stackalloc Vector256<double>[groups];
        max.Clear();
        ReadOnlySpan<T> all = _rows.Local.Span;
        ReadOnlySpan<double> d2s = _d2;
        ReadOnlySpan<double> weights = _weights;
        Span<double> trialDistances = _trialDistances;
        var scale = Vector256.Create(quantizer.Scale);
        var magic = Vector256.Create(Quantizer.Magic);
        var magicBits = Vector256.Create(Quantizer.MagicBits);
        for (int b = firstBlock; b < lastBlock; b++)
        {
            sums.Clear();
            var (start, end) = BlockRange(b);
            for (int i = start; i < end; i++)
            {
                ReadOnlySpan<double> x = RowValues.AsDouble(all.Slice(i * p, p), buffer);
                Span<double> distances = trialDistances.Slice(i * stride, stride);
                vectorised.Compute(x, distances);
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
    private void PotentialsScalar(TrialDistances? vectorised, double[] candidates, int trials, int stride, Quantizer quantizer, int firstBlock, int lastBlock, long[] blockPotentials, Span<double> maxima)
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

    /// <summary>The current weight of local row <paramref name="i"/>: w·D², or w before any centre is chosen.</summary>
    private double WeightOf(int i)
    {
        double w = _weights?[i] ?? 1.0;
        return CentreCount == 0 ? w : w * _d2[i];
    }

    /// <summary>The local row whose interval of cumulative quantised weight holds <paramref name="u"/> (0 ≤ u &lt; own total).</summary>
    private int FindRow(Int128 u)
    {
        Int128 cumulative = 0;
        for (int b = 0; b < Blocks; b++)
        {
            if (u < cumulative + _blockTotals[b])
            {
                var (start, end) = BlockRange(b);
                for (int i = start; i < end; i++)
                {
                    cumulative += QuantizedWeight(i);
                    if (u < cumulative)
                    {
                        return i;
                    }
                }
            }
            else
            {
                cumulative += _blockTotals[b];
            }
        }

        throw new DistalException(FailureKind.Internal, "weighted draw past the last row");
    }

    private (int Start, int End) BlockRange(int block)
        => (block * BlockRows, Math.Min(_rows.LocalRows, (block + 1) * BlockRows));

    private static Int128 Potential(long[] all, int at) => new((ulong)all[3 * at], (ulong)all[(3 * at) + 1]);

    /// <summary>⌊total · bits / 2⁶⁴⌋: a uniform integer in [0, total).</summary>
    private static Int128 ScaleBelow(Int128 total, ulong bits)
        => (Int128)(((BigInteger)total * bits) >> 64);

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

    private static Int128 SumOf(ReadOnlySpan<long> values)
    {
        Int128 sum = 0;
        foreach (long v in values)
        {
            sum += v;
        }

        return sum;
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

    /// <summary>
    /// Maps a weight in [0, M] to an integer at most 2⁵¹: w·2^(50 − ⌊log₂ M⌋) rounded to nearest (ties to even) by adding
    /// 2⁵², where doubles are spaced exactly 1 apart, and reading the mantissa — three instructions instead of a
    /// saturating double-to-long conversion, which cost as much as the distance itself here.
    /// </summary>
    private readonly struct Quantizer
    {
        public const double Magic = 4503599627370496.0; // 2⁵²
        public static readonly long MagicBits = BitConverter.DoubleToInt64Bits(Magic);
        private readonly int _shift;
        private readonly bool _zero;

        public Quantizer(double max)
        {
            _zero = !(max > 0) || double.IsInfinity(max);
            _shift = _zero ? 0 : 50 - Math.ILogB(max);
            Scale = _shift is > -1000 and < 1000 ? Math.ScaleB(1.0, _shift) : 0;
        }

        /// <summary>2^shift when it is a normal double (the usual case), else 0.</summary>
        public double Scale { get; }

        /// <summary>Whether <see cref="Apply"/> is w·Scale + 2⁵² (so vector code may do the same).</summary>
        public bool IsVectorisable => !_zero && Scale != 0;

        public long Apply(double weight)
        {
            if (_zero)
            {
                return 0;
            }

            double scaled = Scale != 0 ? weight * Scale : Math.ScaleB(weight, _shift);
            return BitConverter.DoubleToInt64Bits(scaled + Magic) - MagicBits;
        }
    }
}
