using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Distal.Kernels;

namespace Distal.Algorithms;

/// <summary>
/// One thread's share of a Lloyd pass: assigns rows to their nearest centroid, block by block, and (when asked)
/// accumulates per-cluster sums and counts, the objective, the number of changed assignments and the farthest rows.
/// </summary>
/// <remarks>
/// The nearest centroid comes from the expanded squared distance ‖x‖² − 2x·c + ‖c‖², the x·c of a block coming from
/// one <see cref="IDenseKernels.MultiplyTransposed"/> call: it minimises ‖c‖² − 2x·c (ties to the lowest index; ‖x‖²
/// is common to all centroids). The distance that enters the objective and the farthest-row choice is then
/// recomputed for that one centroid from the differences, so it is never negative and is exact for a row on its
/// centroid.
/// </remarks>
internal sealed class AssignmentWorker
{
    /// <summary>Rows per kernel call: the block and its k products stay in L2 while the row loop re-reads them.</summary>
    private const int BlockRows = 256;

    private readonly int _clusters;
    private readonly int _columns;
    private readonly double[] _products;
    private readonly double[] _converted;
    private readonly int[] _nearest = new int[BlockRows];

    public AssignmentWorker(int clusters, int columns, bool accumulate, int farthestCapacity)
    {
        _clusters = clusters;
        _columns = columns;
        _products = new double[BlockRows * clusters];
        _converted = new double[BlockRows * columns];
        Partial = new LloydPartial(accumulate ? clusters : 0, accumulate ? columns : 0);
        Accumulates = accumulate;
        Farthest = farthestCapacity > 0 ? new FarthestRows(farthestCapacity, columns) : null;
    }

    public bool Accumulates { get; }

    /// <summary>Sums and counts (when accumulating), objective and changed count.</summary>
    public LloydPartial Partial { get; }

    public FarthestRows? Farthest { get; }

    /// <summary>
    /// Processes <paramref name="rows"/> (row-major). <paramref name="assignments"/> holds these rows' previous clusters
    /// (−1 for none) and receives the new ones; <paramref name="firstKey"/> is the ordering key of the first row
    /// (keys of consecutive rows are consecutive and follow the global row order).
    /// </summary>
    public void Process<T>(ReadOnlySpan<T> rows, Span<int> assignments, long firstKey, AssignmentCentroids set, IDenseKernels kernels)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int p = _columns;
        int k = _clusters;
        int count = assignments.Length;
        ReadOnlySpan<double> centroids = set.Values;
        ReadOnlySpan<double> centroidNorms = set.Norms;
        NearestCentroidTiles? tiles = set.Tiles;
        double objective = Partial.Objective;
        long changed = Partial.Changed;
        for (int start = 0; start < count; start += BlockRows)
        {
            int b = Math.Min(BlockRows, count - start);
            ReadOnlySpan<double> x = RowValues.AsDouble(rows.Slice(start * p, b * p), _converted);

            // All nearest centroids of the block first, then the bookkeeping: the distance and sums of a row depend on
            // its argmin, and in one loop that chain serialised the rows (36 ns per row instead of ~25 measured for
            // k = 10, p = 20); in two loops consecutive rows' bookkeeping overlaps.
            Span<int> nearest = _nearest.AsSpan(0, b);
            if (tiles is not null)
            {
                tiles.NearestOfRows(x, nearest);
            }
            else
            {
                Span<double> products = _products.AsSpan(0, b * k);
                kernels.MultiplyTransposed(x, b, p, centroids, k, products, 1);
                for (int r = 0; r < b; r++)
                {
                    nearest[r] = Nearest(products.Slice(r * k, k), centroidNorms);
                }
            }

            Record(x, nearest, assignments.Slice(start, b), firstKey + start, centroids, ref objective, ref changed);
        }

        Partial.Objective = objective;
        Partial.Changed = changed;
    }

    /// <summary>
    /// The bookkeeping of a block whose nearest centroids are known: objective, sums and counts, changed assignments,
    /// farthest rows. Kept apart from the distance tiles: with both in one method the JIT ran out of inlining budget
    /// and called the distance, the row add, Slice and the property getters once per row (a quarter of a pass).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Record(ReadOnlySpan<double> x, ReadOnlySpan<int> nearest, Span<int> assignments, long firstKey, ReadOnlySpan<double> centroids, ref double objective, ref long changed)
    {
        int p = _columns;
        FarthestRows? farthest = Farthest;
        bool accumulate = Accumulates;
        ref double sums = ref MemoryMarshal.GetArrayDataReference(Partial.Sums);
        long[] counts = Partial.Counts;
        double total = objective;
        long moved = changed;
        for (int r = 0; r < nearest.Length; r++)
        {
            ReadOnlySpan<double> row = x.Slice(r * p, p);
            int best = nearest[r];

            // The winner's distance from the differences: the expanded form loses digits to cancellation when
            // ‖x‖ ≫ ‖x − c‖ (a row on its centroid would count ~1e-14·‖x‖² instead of 0), and p more flops per
            // row are cheap next to the k·p of the products.
            double distance = SquaredDistance.Between(row, centroids.Slice(best * p, p));
            total += distance;
            if (accumulate)
            {
                VectorOps.AddRow(ref MemoryMarshal.GetReference(row), ref Unsafe.Add(ref sums, best * p), p);
                counts[best]++;
            }

            ref int assigned = ref assignments[r];
            if (assigned != best)
            {
                moved++;
                assigned = best;
            }

            if (farthest is not null && distance >= farthest.Threshold)
            {
                farthest.Offer(distance, firstKey + r, best, row);
            }
        }

        objective = total;
        changed = moved;
    }

    /// <summary>The index minimising ‖c‖² − 2x·c from the row's products g = x·cⱼ; ties to the lowest index.</summary>
    private static int Nearest(ReadOnlySpan<double> g, ReadOnlySpan<double> norms)
    {
        int best = 0;
        double bestValue = norms[0] - (2 * g[0]);
        for (int j = 1; j < g.Length; j++)
        {
            double v = norms[j] - (2 * g[j]);
            if (v < bestValue)
            {
                bestValue = v;
                best = j;
            }
        }

        return best;
    }
}
