using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Distal.Communication;
using Distal.Kernels;

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
internal sealed partial class DistanceWeightedSampler<T>
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
    private WeightQuantizer _quantizer;
    private bool _totalsCurrent;
    private Int128[] _rankTotals = [];

    /// <summary>The kept centre of the last greedy step while rows' D² (and nearest) do not yet include it; see <see cref="Settle"/>.</summary>
    private PassPlan? _pending;

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
    public ReadOnlySpan<int> Nearest
    {
        get
        {
            Settle();
            return _nearest;
        }
    }

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
        Settle();
        _globalMax = Communicator.Allreduce(_localMax, ReduceOperation.Max);
        _quantizer = new WeightQuantizer(_globalMax);
        int ranges = RowRanges.Count(Blocks, BlockRows, _threads);
        RowRanges.Run(Blocks, ranges, _threads, (_, first, last) => BlockTotals(first, last));

        _rankTotals = AllgatherInt128(Communicator, [SumOf(_blockTotals)]);
        _totalsCurrent = true;
    }

    /// <summary>
    /// Blocks [<paramref name="first"/>, <paramref name="last"/>)'s exact totals: <see cref="Quantized"/> summed, in
    /// spans and locals (as a loop over <see cref="Quantized"/> it cost a third of a trial pass).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BlockTotals(int first, int last)
    {
        ReadOnlySpan<double> d2 = _d2;
        ReadOnlySpan<double> weights = _weights;
        bool chosen = CentreCount > 0;
        var quantizer = _quantizer;
        for (int b = first; b < last; b++)
        {
            var (start, end) = BlockRange(b);
            long sum = 0;
            for (int i = start; i < end; i++)
            {
                double w = weights.IsEmpty ? 1.0 : weights[i];
                sum += quantizer.Apply(chosen ? w * d2[i] : w);
            }

            _blockTotals[b] = sum;
        }
    }

    /// <summary>The quantised current weight of local row <paramref name="i"/> (totals must be current).</summary>
    public long QuantizedWeight(int i)
    {
        Settle();
        return Quantized(i);
    }

    /// <summary><see cref="QuantizedWeight"/> of a row whose D² is settled.</summary>
    private long Quantized(int i) => _quantizer.Apply(WeightOf(i));

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
        Settle();
        int p = _rows.Columns;
        int first = CentreCount;
        int count = centres.Length / p;
        bool initial = first == 0;
        double[] added = centres.ToArray();
        _centres.AddRange(added);
        int n = _rows.LocalRows;
        int ranges = RowRanges.Count(n, p * count, _threads);
        var maxima = new double[ranges];
        RowRanges.Run(n, ranges, _threads, (r, start, end) =>
        {
            double[] buffer = typeof(T) == typeof(double) ? [] : new double[ChunkRows * p];
            double[] single = count == 1 ? new double[ChunkRows] : [];
            double[] scratch = count == 1 ? new double[SquaredDistanceLanes.ScratchLength(p)] : [];
            ReadOnlySpan<T> all = _rows.Local.Span;
            double max = 0;
            for (int s = start; s < end; s += ChunkRows)
            {
                int rows = Math.Min(ChunkRows, end - s);
                ReadOnlySpan<double> chunk = RowValues.AsDouble(all.Slice(s * p, rows * p), buffer);
                if (count == 1)
                {
                    // One centre (the first one, always): the same distances four rows at a time.
                    SquaredDistanceLanes.OfRows(chunk, added, single.AsSpan(0, rows), scratch);
                }

                for (int k = 0; k < rows; k++)
                {
                    int i = s + k;
                    double best = initial ? double.PositiveInfinity : _d2[i];
                    int nearest = initial ? -1 : _nearest?[i] ?? 0;
                    for (int c = 0; c < count; c++)
                    {
                        double d = count == 1 ? single[k] : SquaredDistance.Between(chunk.Slice(k * p, p), added.AsSpan(c * p, p));
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
            }

            maxima[r] = max;
        });

        _localMax = n == 0 ? 0 : Max(maxima);
        _totalsCurrent = false;
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
                SettleBlock(b);
                var (start, end) = BlockRange(b);
                for (int i = start; i < end; i++)
                {
                    cumulative += Quantized(i);
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
}
