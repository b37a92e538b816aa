using Distal.Communication;
using Distal.Data;

namespace Distal.Algorithms;

/// <summary>
/// K-means clustering by Lloyd's iterations (daal4py's <c>kmeans</c>): from initial centroids, alternately assign every
/// row to its nearest centroid and move each centroid to the mean of its rows. In distributed mode every rank passes
/// its own rows and gets the same centroids, objective and iteration count, plus the assignments of its own rows.
/// </summary>
/// <remarks>
/// <para>Convergence (one rule for batch and distributed): iteration t assigns the rows to the centroids C(t−1), giving
/// the objective J(t), and updates them to C(t). The run stops after iteration t when no row changed cluster (and no
/// empty cluster was re-seeded in this or the previous iteration), so that C(t) = C(t−1) exactly; or when t ≥ 2 and
/// |J(t−1) − J(t)| &lt; <see cref="AccuracyThreshold"/>; or when t = <see cref="MaxIterations"/>.</para>
/// <para>An empty cluster is re-seeded with the row farthest from its centroid (the next farthest for the next empty
/// cluster; ties to the lower global row), never left as NaN. The nearest centroid is found from ‖x‖² − 2x·c + ‖c‖²
/// with the x·c of whole blocks from the dense kernels; the distance to it that enters the objective is recomputed
/// from the differences, so it is never negative and stays accurate when ‖x‖ ≫ ‖x − c‖.</para>
/// <para><see cref="KMeansResult.ObjectiveFunction"/> is measured against the final centroids, and the assignments are
/// to the final centroids (oneDAL accumulates the objective in the last assignment pass, before the last update).</para>
/// </remarks>
/// <example>
/// <code>
/// using var spmd = Spmd.Init();
/// var init = new KMeansInit(10, KMeansInitMethod.PlusPlusDense) { Distributed = true }.Compute(myRows);
/// var result = new KMeans(10, 25) { Distributed = true }.Compute(myRows, init.Centroids);
/// int[] mine = result.Assignments;   // clusters of this rank's rows
/// </code>
/// </example>
public sealed class KMeans : Algorithm<KMeansResult>
{
    /// <summary>Creates k-means with <paramref name="clusters"/> clusters and at most <paramref name="maxIterations"/> iterations.</summary>
    /// <param name="clusters">k (daal4py's <c>nClusters</c>).</param>
    /// <param name="maxIterations">Maximum number of iterations (daal4py's <c>maxIterations</c>); 0 only assigns the rows to the initial centroids.</param>
    public KMeans(int clusters, int maxIterations)
    {
        Clusters = clusters;
        MaxIterations = maxIterations;
    }

    /// <summary>k, the number of clusters (daal4py's <c>nClusters</c>).</summary>
    public int Clusters { get; }

    /// <summary>Maximum number of iterations (daal4py's <c>maxIterations</c>).</summary>
    public int MaxIterations { get; }

    /// <summary>Stop when the objective changes by less than this between iterations (daal4py's <c>accuracyThreshold</c>, default 0).</summary>
    public double AccuracyThreshold { get; set; }

    /// <summary>
    /// Initial centroids (k × p) used by <c>Compute(data)</c>. When null, they are computed by <see cref="KMeansInit"/>
    /// with <see cref="InitMethod"/> and <see cref="Seed"/> on the same data. In distributed mode rank 0's are used.
    /// </summary>
    public Table<double>? InitialCentroids { get; set; }

    /// <summary>The initialisation used when no initial centroids are given (default k-means++).</summary>
    public KMeansInitMethod InitMethod { get; set; } = KMeansInitMethod.PlusPlusDense;

    /// <summary>Seed of that initialisation (default 777, daal4py's).</summary>
    public long Seed { get; set; } = 777;

    /// <summary>Called on every rank after each iteration (the CLI reports progress with it).</summary>
    internal Action<LloydIteration>? Observer { get; set; }

    /// <summary>Runs Lloyd's iterations on <paramref name="data"/> (this rank's rows when distributed) from <paramref name="initialCentroids"/>.</summary>
    public KMeansResult Compute(Table<double> data, Table<double> initialCentroids)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(initialCentroids);
        return Run(data, initialCentroids, ResolveContext());
    }

    /// <summary>Runs Lloyd's iterations on float rows (distances and sums in double).</summary>
    public KMeansResult Compute(Table<float> data, Table<double> initialCentroids)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(initialCentroids);
        return Run(data, initialCentroids, ResolveContext());
    }

    /// <summary>Reads this rank's headerless numeric CSV file and runs Lloyd's iterations from <paramref name="initialCentroids"/>.</summary>
    public KMeansResult Compute(string csvPath, Table<double> initialCentroids)
    {
        ArgumentNullException.ThrowIfNull(csvPath);
        ArgumentNullException.ThrowIfNull(initialCentroids);
        var context = ResolveContext();
        return Run(ReadPerRank(context, csvPath), initialCentroids, context);
    }

    /// <summary>
    /// Out-of-core Lloyd: re-reads this rank's CSV files (in order, as one sequence of rows) on every iteration, about
    /// <paramref name="chunkRows"/> rows at a time, instead of holding the data in memory. Memory is O(chunk + k·p)
    /// plus one int per row for the assignments. Same result as <c>Compute</c> on the concatenated files, to rounding.
    /// </summary>
    public KMeansResult ComputeOutOfCore(IReadOnlyList<string> csvPaths, Table<double> initialCentroids, int chunkRows = 1 << 16)
    {
        ArgumentNullException.ThrowIfNull(csvPaths);
        ArgumentNullException.ThrowIfNull(initialCentroids);
        if (chunkRows < 1)
        {
            throw new DistalException(FailureKind.Usage, $"chunkRows must be at least 1, not {chunkRows}");
        }

        var context = ResolveContext();
        context.Communicator.Collectively(Validate);
        double[] centroids = AgreeOnCentroids(context.Communicator, initialCentroids, out int columns);
        var engine = new LloydIterations(context, Clusters, MaxIterations, AccuracyThreshold) { Observer = Observer };
        return engine.Run(new CsvFileChunks(csvPaths, chunkRows), centroids, columns);
    }

    /// <summary>
    /// Out-of-core Lloyd from any source of rows: <paramref name="readRows"/> is called once per pass over the data and
    /// returns this rank's rows as consecutive chunks, the same rows in the same order every time (a chunk may be
    /// reused by the source once the next is asked for). Memory is O(chunk + k·p) plus one int per row for the
    /// assignments. A failure while reading on one rank is the same error on every rank.
    /// </summary>
    /// <param name="readRows">Starts a pass: this rank's chunks, in order.</param>
    /// <param name="initialCentroids">k × p initial centroids (rank 0's are used when distributed).</param>
    /// <returns>The centroids, objective, iterations and this rank's assignments.</returns>
    public KMeansResult ComputeOutOfCore(Func<IEnumerable<Table<double>>> readRows, Table<double> initialCentroids)
        => RunPasses(readRows, initialCentroids);

    /// <summary>Out-of-core Lloyd from float chunks (distances and sums in double); see the double overload.</summary>
    /// <param name="readRows">Starts a pass: this rank's chunks, in order.</param>
    /// <param name="initialCentroids">k × p initial centroids (rank 0's are used when distributed).</param>
    /// <returns>The centroids, objective, iterations and this rank's assignments.</returns>
    public KMeansResult ComputeOutOfCore(Func<IEnumerable<Table<float>>> readRows, Table<double> initialCentroids)
        => RunPasses(readRows, initialCentroids);

    private KMeansResult RunPasses<T>(Func<IEnumerable<Table<T>>> readRows, Table<double> initialCentroids)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(readRows);
        ArgumentNullException.ThrowIfNull(initialCentroids);
        var context = ResolveContext();
        context.Communicator.Collectively(Validate);
        double[] centroids = AgreeOnCentroids(context.Communicator, initialCentroids, out int columns);
        var engine = new LloydIterations(context, Clusters, MaxIterations, AccuracyThreshold) { Observer = Observer };
        return engine.Run(new PassChunks<T>(readRows), centroids, columns);
    }

    private protected override string Name => "kmeans";

    internal override KMeansResult ComputeDense<T>(Table<T> data, ComputeContext context)
        => Run(data, InitialCentroids, context);

    private KMeansResult Run<T>(Table<T> data, Table<double>? initialCentroids, ComputeContext context)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        var communicator = context.Communicator;

        // Agreed, though every rank sees the same options: an unagreed error under MPI aborts the job, and the
        // abort can cut off the one line before it is printed.
        communicator.Collectively(Validate);
        int columns = GlobalRows<T>.AgreeOnColumns(communicator, data.Rows, data.Columns);
        double[] centroids;
        int centroidColumns;
        if (initialCentroids is null)
        {
            var init = new KMeansInit(Clusters, InitMethod) { Seed = Seed }.ComputeDense(data, context);
            centroids = init.Centroids.Span.ToArray();
            centroidColumns = init.Centroids.Columns;
        }
        else
        {
            centroids = AgreeOnCentroids(communicator, initialCentroids, out centroidColumns);
        }

        if (columns > 0 && centroidColumns != columns)
        {
            throw new DistalException(FailureKind.Input, $"the rows have {columns} columns but the initial centroids have {centroidColumns}");
        }

        var local = data.Rows > 0 ? data : Table<T>.Empty(centroidColumns);
        var engine = new LloydIterations(context, Clusters, MaxIterations, AccuracyThreshold) { Observer = Observer };
        return engine.Run(new TableChunks<T>(local), centroids, centroidColumns);
    }

    /// <summary>Collective: checks every rank passed k × p finite centroids of one shape, and returns rank 0's.</summary>
    private double[] AgreeOnCentroids(Communicator communicator, Table<double> initial, out int columns)
    {
        long[] shapes = communicator.AllgatherV<long>([initial.Rows, initial.Columns], out _);
        for (int r = 0; r < communicator.Size; r++)
        {
            if (shapes[2 * r] != Clusters || shapes[(2 * r) + 1] < 1)
            {
                throw new DistalException(FailureKind.Usage, r, $"the initial centroids are {shapes[2 * r]}×{shapes[(2 * r) + 1]}; {Clusters} rows of at least one column are needed");
            }

            if (shapes[(2 * r) + 1] != shapes[1])
            {
                throw new DistalException(FailureKind.Usage, r, $"the initial centroids have {shapes[(2 * r) + 1]} columns; rank 0's have {shapes[1]}");
            }
        }

        columns = (int)shapes[1];
        double[] values = initial.Span.ToArray();
        communicator.Broadcast<double>(values, 0);
        foreach (double v in values)
        {
            if (!double.IsFinite(v))
            {
                throw new DistalException(FailureKind.Usage, "the initial centroids contain a value that is not finite");
            }
        }

        return values;
    }

    private void Validate()
    {
        if (Clusters < 1)
        {
            throw new DistalException(FailureKind.Usage, $"the number of clusters must be at least 1, not {Clusters}");
        }

        if (MaxIterations < 0)
        {
            throw new DistalException(FailureKind.Usage, $"maxIterations must not be negative, not {MaxIterations}");
        }

        if (!(AccuracyThreshold >= 0) || double.IsInfinity(AccuracyThreshold))
        {
            throw new DistalException(FailureKind.Usage, $"accuracyThreshold must be a finite non-negative number, not {AccuracyThreshold}");
        }
    }
}
