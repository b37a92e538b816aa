using System.Numerics;
using Distal.Communication;
using Distal.Kernels;

namespace Distal.Algorithms;

/// <summary>One Lloyd iteration's outcome, reported to an observer (the CLI prints progress from it).</summary>
internal readonly record struct LloydIteration(int Iteration, double Objective, long Changed, bool Reseeded);

/// <summary>
/// Lloyd's iterations over this rank's rows, collective over the communicator; the same code serves batch (a world of
/// one), distributed and out-of-core runs.
/// </summary>
/// <remarks>
/// Convergence rule (batch and distributed alike). Iteration t assigns every row to its nearest centroid of
/// C(t−1), giving the objective J(t), and moves each centroid to the mean of its rows, giving C(t); empty clusters are
/// re-seeded. The run stops after iteration t when
/// (a) no row changed cluster and no cluster was re-seeded in iterations t and t−1 — then C(t) = C(t−1) exactly; or
/// (b) t ≥ 2 and |J(t−1) − J(t)| &lt; accuracyThreshold (absolute, as daal4py's parameter); or
/// (c) no centroid coordinate moved by more than rounding (<see cref="RoundingUlps"/> units in the last place), even
/// though rows changed cluster or were re-seeded: an iteration is a function of the centroids alone (assignment,
/// reduction and re-seeding are deterministic), so later iterations could only shuffle rounding — as with many
/// identical rows and more clusters than distinct points, where each iteration re-seeds the empty clusters with
/// copies of the same point (scikit-learn stops there too: its centre shift is within tolerance); or
/// (d) t = maxIterations.
/// The reported objective is Σ ‖x − c‖² over the rows and their nearest FINAL centroids, with the assignments to
/// those centroids: under (a) iteration t already measured them; otherwise one more assignment pass does.
/// Every iteration reduces (sums, counts, objective, changed) with <see cref="PartialReduction"/>, so all ranks hold
/// bitwise identical centroids and take identical decisions.
/// </remarks>
internal sealed class LloydIterations(ComputeContext context, int clusters, int maxIterations, double accuracyThreshold)
{
    private readonly Communicator _communicator = context.Communicator;

    private int[] _assignments = [];
    private int _assignmentsCount;
    private PackedRows? _packed;
    private ClusterAggregates[]? _aggregates;

    /// <summary>Called on every rank after each iteration.</summary>
    public Action<LloydIteration>? Observer { get; init; }

    public KMeansResult Run<T>(IRowChunks<T> rows, double[] initialCentroids, int columns)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int k = clusters;
        int threads = context.Threads;
        var kernels = context.Kernels;
        double[] centroids = (double[])initialCentroids.Clone();
        double[] previousCentroids = new double[centroids.Length];
        double previousObjective = double.NaN;
        bool previousReseeded = true;
        bool fixedPoint = false;
        double objective = double.NaN;
        int t = 0;
        _packed = PackedRows.TryCreate(rows, k, columns, threads);

        // The same on every rank (it depends on the kind of rows, k, p and the vector width only), as the passes are
        // collective; a rank without a packed copy (no rows, or too little memory) takes full passes inside it.
        bool incremental = rows is TableChunks<T> && NearestCentroidScreen.Applies(k, columns);
        while (t < maxIterations)
        {
            t++;
            var (partial, farthest) = _communicator.Collectively(() => Pass(rows, centroids, columns, accumulate: true, threads, kernels, incremental));
            var merged = PartialReduction.Reduce(_communicator, partial);
            if (incremental && merged.Counts.Contains(0))
            {
                // An incremental pass keeps no farthest rows; an empty cluster (agreed: the counts are merged) needs
                // them, so the pass runs again in full. Its rows are already assigned, so the changes are the first run's.
                long changedFirst = merged.Changed;
                (partial, farthest) = _communicator.Collectively(() => Pass(rows, centroids, columns, accumulate: true, threads, kernels, incremental: false));
                merged = PartialReduction.Reduce(_communicator, partial);
                merged.Changed = changedFirst;
            }

            if (t == 1)
            {
                KMeansInit.CheckEnoughRows(k, Sum(merged.Counts));
            }

            bool reseeded = EmptyClusterReseeding.Apply(_communicator, merged, farthest!, _assignments, columns);
            if (reseeded)
            {
                // Reseeding moved rows behind the aggregates' back: they are built again from every row.
                _aggregates = null;
            }

            centroids.CopyTo(previousCentroids, 0);
            for (int j = 0; j < k; j++)
            {
                double inverse = 1.0 / merged.Counts[j];
                for (int c = 0; c < columns; c++)
                {
                    centroids[(j * columns) + c] = merged.Sums[(j * columns) + c] * inverse;
                }
            }

            objective = merged.Objective;
            Observer?.Invoke(new LloydIteration(t, objective, merged.Changed, reseeded));
            if (merged.Changed == 0 && !reseeded && !previousReseeded)
            {
                fixedPoint = true;
                break;
            }

            if (t >= 2 && Math.Abs(previousObjective - objective) < accuracyThreshold)
            {
                break;
            }

            if (WithinRounding(previousCentroids, centroids))
            {
                break;
            }

            previousObjective = objective;
            previousReseeded = reseeded;
        }

        if (!fixedPoint)
        {
            // Incrementally, the objective against the final centroids comes from the aggregates (with sums nobody
            // reads), and only the rows that change cluster once more are read.
            var (partial, _) = _communicator.Collectively(() => Pass(rows, centroids, columns, accumulate: incremental, threads, kernels, incremental));
            var merged = PartialReduction.Reduce(_communicator, partial);
            if (t == 0)
            {
                KMeansInit.CheckEnoughRows(k, _communicator.Allreduce((long)_assignmentsCount, ReduceOperation.Sum));
            }

            objective = merged.Objective;
        }

        _packed = null;
        _aggregates = null;
        return new KMeansResult(Table.FromArray(centroids, k, columns), objective, t, _assignments.AsSpan(0, _assignmentsCount).ToArray());
    }

    /// <summary>One local pass over the rows: each chunk is cut into contiguous ranges (see <see cref="RowRanges"/>); worker r takes range r of every chunk.</summary>
    private (LloydPartial Partial, FarthestRows? Farthest) Pass<T>(IRowChunks<T> rows, double[] centroids, int columns, bool accumulate, int threads, IDenseKernels kernels, bool incremental = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int k = clusters;
        var set = new AssignmentCentroids(centroids, k, columns);

        // Incremental passes keep each range's clusters across passes (one chunk in memory, so the same ranges every
        // pass) and no farthest rows; a full pass rebuilds from every row next time.
        incremental &= accumulate;
        if (!incremental)
        {
            _aggregates = null;
        }

        int farthestCapacity = accumulate && !incremental ? EmptyClusterReseeding.Candidates(k) : 0;
        var workers = new AssignmentWorker?[RowRanges.MostFor(threads)];
        long localRow = 0;
        int rank = _communicator.Rank;
        foreach (var chunk in rows.Chunks())
        {
            if (chunk.Columns != columns && chunk.Rows > 0)
            {
                throw new DistalException(FailureKind.Input, $"rows have {chunk.Columns} columns; the centroids have {columns}");
            }

            int n = chunk.Rows;
            EnsureAssignments(localRow + n);
            int ranges = Math.Min(workers.Length, RowRanges.Count(n, columns * k, threads));
            for (int r = 0; r < ranges; r++)
            {
                workers[r] ??= new AssignmentWorker(k, columns, accumulate, farthestCapacity);
            }

            long first = localRow;
            var packed = _packed is { } copy && ReferenceEquals(copy.Source, chunk) ? copy : null;
            ClusterAggregates[]? aggregates = null;
            if (incremental && packed is not null)
            {
                if (_aggregates is null || _aggregates.Length != ranges)
                {
                    _aggregates = [.. Enumerable.Range(0, ranges).Select(_ => new ClusterAggregates(k, columns))];
                }

                aggregates = _aggregates;
            }

            RowRanges.Run(n, ranges, threads, (r, start, end) =>
            {
                var span = chunk.Span.Slice(start * columns, (end - start) * columns);
                workers[r]!.Process<T>(span, _assignments.AsSpan((int)(first + start), end - start), RowKey.Of(rank, first + start), set, kernels, packed, start, aggregates?[r]);
            });
            localRow += n;
        }

        _assignmentsCount = (int)localRow;
        var result = workers[0] ?? new AssignmentWorker(k, columns, accumulate, farthestCapacity);
        for (int w = 1; w < workers.Length; w++)
        {
            if (workers[w] is { } other)
            {
                result.Partial.Merge(other.Partial);
                result.Farthest?.Absorb(other.Farthest!);
            }
        }

        return (result.Partial, result.Farthest);
    }

    private void EnsureAssignments(long rows)
    {
        if (rows > _assignments.Length)
        {
            int old = _assignments.Length;
            Array.Resize(ref _assignments, (int)Math.Max(rows, Math.Min(int.MaxValue, 2L * old)));
            _assignments.AsSpan(old).Fill(-1);
        }
    }

    /// <summary>How many units in the last place a coordinate may move and still count as not moving (rule c).</summary>
    private const double RoundingUlps = 4;

    /// <summary>2⁻⁵², the spacing of doubles in [1, 2).</summary>
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>True when every coordinate of <paramref name="after"/> is within <see cref="RoundingUlps"/> ulps of <paramref name="before"/>.</summary>
    private static bool WithinRounding(ReadOnlySpan<double> before, ReadOnlySpan<double> after)
    {
        for (int i = 0; i < before.Length; i++)
        {
            double a = before[i], b = after[i];
            if (Math.Abs(a - b) > RoundingUlps * Math.Max(Math.Abs(a), Math.Abs(b)) * MachineEpsilon)
            {
                return false;
            }
        }

        return true;
    }

    private static long Sum(long[] values)
    {
        long sum = 0;
        foreach (long v in values)
        {
            sum += v;
        }

        return sum;
    }
}
