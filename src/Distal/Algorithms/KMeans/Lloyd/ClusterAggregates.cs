using System.Runtime.CompilerServices;
using Distal.Kernels;

namespace Distal.Algorithms;

/// <summary>
/// One range of rows' clusters, kept from one Lloyd pass to the next while the rows stay in memory: per cluster its
/// count and <see cref="ClusterMoments"/> (exact sum, mean, scatter) of the rows minus a shift, the range's first row.
/// A pass then touches only the rows that changed cluster; the rest of its bookkeeping (sums, counts, and
/// Σ‖x − c‖² = scatter + count·‖mean − (c − shift)‖² against the pass's centroids) comes from k clusters instead of
/// every row.
/// </summary>
/// <remarks>
/// The shift keeps the moments of data with a large common offset (1e8 + N(0, σ)) at the size of the spread: a double
/// mean of the raw rows would be off by 1e-8 absolute, and the objective's term count·‖mean − c‖² with it by about
/// 1e-8/σ relative; shifted, the objective keeps about the accuracy of summing each row's distance.
/// </remarks>
internal sealed class ClusterAggregates(int clusters, int columns)
{
    private readonly double[] _shift = new double[columns];
    private readonly long[] _counts = new long[clusters];
    private readonly double[] _sumHi = new double[clusters * columns];
    private readonly double[] _sumLo = new double[clusters * columns];
    private readonly double[] _means = new double[clusters * columns];
    private readonly double[] _scatters = new double[clusters];

    private bool _hasShift;

    /// <summary>False until the first pass has added every row of the range.</summary>
    public bool Built { get; set; }

    /// <summary>Moves <paramref name="row"/> from cluster <paramref name="from"/> (−1: from none) to <paramref name="to"/>.</summary>
    // Optimized at the first call: a run makes few passes, so tiering would leave these calls in tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Move(ReadOnlySpan<double> row, int from, int to)
    {
        if (!_hasShift)
        {
            row.CopyTo(_shift);
            _hasShift = true;
        }

        if (from >= 0)
        {
            ClusterMoments.Remove(row, _shift, Slice(_sumHi, from), Slice(_sumLo, from), Slice(_means, from), ref _scatters[from], _counts[from]);
            _counts[from]--;
        }

        ClusterMoments.Add(row, _shift, Slice(_sumHi, to), Slice(_sumLo, to), Slice(_means, to), ref _scatters[to], _counts[to]);
        _counts[to]++;
    }

    /// <summary>Writes the sums, the counts and the objective against <paramref name="centroids"/> (k × p) into <paramref name="partial"/>.</summary>
    public void WriteTo(LloydPartial partial, ReadOnlySpan<double> centroids)
    {
        double objective = partial.Objective;
        for (int j = 0; j < clusters; j++)
        {
            partial.Counts[j] += _counts[j];
            var hi = Slice(_sumHi, j);
            var lo = Slice(_sumLo, j);
            var sums = partial.Sums.AsSpan(j * columns, columns);
            var mean = Slice(_means, j);
            var centroid = centroids.Slice(j * columns, columns);
            double away = 0;
            for (int c = 0; c < columns; c++)
            {
                // The raw sum: count·shift + the shifted sum, one rounding of the exact (hi, lo).
                sums[c] += Math.FusedMultiplyAdd(_counts[j], _shift[c], hi[c] + lo[c]);
                double difference = mean[c] - (centroid[c] - _shift[c]);
                away = Math.FusedMultiplyAdd(difference, difference, away);
            }

            if (_counts[j] > 0)
            {
                objective += _scatters[j] + (_counts[j] * away);
            }
        }

        partial.Objective = objective;
    }

    private Span<double> Slice(double[] values, int cluster) => values.AsSpan(cluster * columns, columns);
}
