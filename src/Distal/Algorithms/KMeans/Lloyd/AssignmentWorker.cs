using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Distal.Kernels;

namespace Distal.Algorithms;

/// <summary>
/// One thread's share of a Lloyd pass: assigns rows to their nearest centroid, block by block, and (when asked)
/// accumulates per-cluster sums and counts, the objective, the number of changed assignments and the farthest rows.
/// </summary>
/// <remarks>
/// The nearest centroid comes from the expanded squared distance of the shifted row and centroids (x − s, c − s; see
/// <see cref="AssignmentCentroids"/>), the products of a block coming from the fused tiles, or for many clusters from
/// one <see cref="IDenseKernels.MultiplyTransposed"/> call: it minimises ‖c − s‖² − 2(x − s)·(c − s) (ties to the
/// lowest index; ‖x − s‖² is common to all centroids). The distance that enters the objective and the farthest-row choice is then
/// recomputed for that one centroid from the differences, so it is never negative and is exact for a row on its
/// centroid.
/// </remarks>
internal sealed class AssignmentWorker
{
    /// <summary>
    /// Rows per kernel call: the block (10 KB at p = 20) stays in L1 between the distance kernel and the bookkeeping,
    /// which re-reads it (64 rows measured 5–8 % faster per Lloyd pass than 256, k = 10, p = 20, one thread).
    /// </summary>
    private const int BlockRows = 64;

    /// <summary>Rows screened before the screen's fallback rate is judged (see <see cref="Process"/>).</summary>
    private const int ScreenTrialRows = 4096;

    private readonly int _clusters;
    private readonly int _columns;
    private readonly double[] _products;
    private readonly double[] _converted;
    private readonly double[] _shifted;
    private readonly int[] _nearest = new int[BlockRows];
    private readonly double[] _distances = new double[BlockRows];
    private readonly double[] _packed;
    private readonly (int Row, int From, int To)[] _pending = new (int, int, int)[BlockRows];
    private int _pendingCount;
    private float[] _screenScratch = [];
    private double[] _fallbackScratch = [];

    public AssignmentWorker(int clusters, int columns, bool accumulate, int farthestCapacity)
    {
        _clusters = clusters;
        _columns = columns;
        _products = new double[BlockRows * clusters];
        _converted = new double[BlockRows * columns];
        _shifted = new double[BlockRows * columns];
        _packed = new double[NearestCentroidLanes.ScratchLength(columns)];
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
    /// (keys of consecutive rows are consecutive and follow the global row order). When the chunk has a
    /// <paramref name="packed"/> copy, <paramref name="firstRow"/> is the first row's index in the chunk, and the screen
    /// reads the copy from the first row that starts a packed block on. With <paramref name="aggregates"/> (kept across
    /// passes for this range) only the rows that change cluster are read for the bookkeeping, and the sums, counts
    /// and objective come from the aggregates (<see cref="ClusterAggregates"/>); the first pass builds them from every row.
    /// </summary>
    public void Process<T>(ReadOnlySpan<T> rows, Span<int> assignments, long firstKey, AssignmentCentroids set, IDenseKernels kernels, PackedRows? packed = null, int firstRow = 0, ClusterAggregates? aggregates = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int p = _columns;
        int k = _clusters;
        int count = assignments.Length;
        ReadOnlySpan<double> centroids = set.Values;
        NearestCentroidLanes? tiles = set.Tiles;
        NearestCentroidScreen? screen = set.Screen;
        if (screen is not null && _screenScratch.Length == 0)
        {
            _screenScratch = new float[NearestCentroidScreen.BlockLength(p)];
            _fallbackScratch = new double[NearestCentroidScreen.FallbackScratchLength(p)];
        }

        double objective = Partial.Objective;
        long changed = Partial.Changed;
        long screened = 0;
        long fallbacks = 0;
        // With a packed copy, the rows before the first whole packed block make a block of their own.
        int head = packed is null ? 0 : -firstRow & 7;
        for (int start = 0, b; start < count; start += b)
        {
            b = Math.Min(start == 0 && head > 0 ? head : BlockRows, count - start);
            ReadOnlySpan<double> x = RowValues.AsDouble(rows.Slice(start * p, b * p), _converted);

            // All nearest centroids of the block first, then the bookkeeping: the distance and sums of a row depend on
            // its argmin, and in one loop that chain serialised the rows (36 ns per row instead of ~25 measured for
            // k = 10, p = 20); in two loops consecutive rows' bookkeeping overlaps.
            Span<int> nearest = _nearest.AsSpan(0, b);
            if (screen is not null)
            {
                fallbacks += packed is not null && ((firstRow + start) & 7) == 0
                    ? screen.NearestOfPacked(packed.From(firstRow + start), x, nearest, _fallbackScratch)
                    : screen.NearestOfRows(x, nearest, _screenScratch, _fallbackScratch);
                screened += b;

                // Data whose offset swamps float32 (1e8 + small, say) fall back on most rows; then the screen only adds
                // its own cost, and the rest of these rows go straight to the double kernel. Same answers either way.
                if (screened >= ScreenTrialRows && fallbacks * 8 > screened)
                {
                    screen = null;
                }
            }
            else if (tiles is not null)
            {
                tiles.NearestOfRows(x, nearest, _packed);
            }
            else
            {
                Span<double> products = _products.AsSpan(0, b * k);
                Span<double> shifted = _shifted.AsSpan(0, b * p);
                x[..(b * p)].CopyTo(shifted);
                for (int r = 0; r < b; r++)
                {
                    // y − 1·s: one exactly rounded subtraction per value, at every vector width.
                    VectorOps.Axpy(-1.0, set.Shift, shifted.Slice(r * p, p));
                }

                kernels.MultiplyTransposed(shifted, b, p, set.ShiftedValues, k, products, 1);
                for (int r = 0; r < b; r++)
                {
                    nearest[r] = Nearest(products.Slice(r * k, k), set.ShiftedNorms);
                }
            }

            if (aggregates is null)
            {
                Record(x, nearest, assignments.Slice(start, b), firstKey + start, centroids, ref objective, ref changed);
            }
            else
            {
                // The rows that changed cluster are scattered through memory: each is requested now and moved in the
                // aggregates after the next block's nearest centroids, so its cache misses overlap that work.
                MovePending(rows, aggregates);
                changed += Queue(rows, nearest, assignments.Slice(start, b), start, !aggregates.Built);
            }
        }

        Partial.Objective = objective;
        Partial.Changed = changed;
        if (aggregates is not null)
        {
            MovePending(rows, aggregates);
            aggregates.Built = true;
            aggregates.WriteTo(Partial, centroids);
        }
    }

    /// <summary>
    /// The incremental bookkeeping of a block: queues a move for each row whose cluster changed (for every row while
    /// the aggregates are being built), prefetching the row; returns how many changed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private long Queue<T>(ReadOnlySpan<T> rows, ReadOnlySpan<int> nearest, Span<int> assignments, int blockStart, bool building)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int p = _columns;
        long moved = 0;
        int r = 0;
        if (!building && Vector256.IsHardwareAccelerated)
        {
            // Most rows keep their cluster: eight at a time are compared and skipped.
            ref int nearestStart = ref MemoryMarshal.GetReference(nearest);
            ref int assignedStart = ref MemoryMarshal.GetReference(assignments);
            while (r + 8 <= nearest.Length
                && Vector256.EqualsAll(Vector256.LoadUnsafe(ref nearestStart, (nuint)r), Vector256.LoadUnsafe(ref assignedStart, (nuint)r)))
            {
                r += 8;
            }
        }

        for (; r < nearest.Length; r++)
        {
            int best = nearest[r];
            int previous = assignments[r];
            if (best != previous || building)
            {
                if (!building)
                {
                    StreamPrefetch.Lines(ref MemoryMarshal.GetReference(rows), (nint)(blockStart + r) * p, p);
                }

                _pending[_pendingCount++] = (blockStart + r, building ? -1 : previous, best);
                moved += best != previous ? 1 : 0;
                assignments[r] = best;
            }
        }

        return moved;
    }

    /// <summary>Applies the queued moves, in row order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MovePending<T>(ReadOnlySpan<T> rows, ClusterAggregates aggregates)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int p = _columns;
        for (int i = 0; i < _pendingCount; i++)
        {
            var (row, from, to) = _pending[i];
            aggregates.Move(RowValues.AsDouble(rows.Slice(row * p, p), _converted), from, to);
        }

        _pendingCount = 0;
    }

    /// <summary>
    /// The bookkeeping of a block whose nearest centroids are known: distances, objective, sums and counts (one
    /// kernel, <see cref="AssignedDistances"/>), changed assignments, farthest rows. Kept apart from the distance
    /// kernel, and in short loops: with everything in one loop the JIT ran out of registers and kept the objective and
    /// the changed count on the stack, a store-and-reload chain through every row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Record(ReadOnlySpan<double> x, ReadOnlySpan<int> nearest, Span<int> assignments, long firstKey, ReadOnlySpan<double> centroids, ref double objective, ref long changed)
    {
        int p = _columns;
        int b = nearest.Length;
        Span<double> distances = _distances.AsSpan(0, b);
        objective = AssignedDistances.Compute(x, nearest, centroids, Accumulates ? Partial.Sums : [], distances, p, objective);
        long moved = changed;
        if (Accumulates)
        {
            long[] counts = Partial.Counts;
            for (int r = 0; r < b; r++)
            {
                counts[nearest[r]]++;
            }
        }

        for (int r = 0; r < b; r++)
        {
            int best = nearest[r];
            moved += assignments[r] != best ? 1 : 0;
            assignments[r] = best;
        }

        changed = moved;
        if (Farthest is { } farthest)
        {
            for (int r = 0; r < b; r++)
            {
                if (distances[r] >= farthest.Threshold)
                {
                    farthest.Offer(distances[r], firstKey + r, nearest[r], x.Slice(r * p, p));
                }
            }
        }
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
