using Distal.Communication;

namespace Distal.Algorithms;

/// <summary>
/// Initial centroids for k-means (daal4py's <c>kmeans_init</c>). Random choices come from one counter-based stream
/// keyed by <see cref="Seed"/> and the <em>global</em> row index, so a distributed run gives bit for bit the centroids of
/// a batch run on the concatenated rows, whatever the number of ranks and however the rows are split (empty ranks
/// included).
/// </summary>
/// <example>
/// <code>
/// using var spmd = Spmd.Init();
/// var init = new KMeansInit(10, KMeansInitMethod.PlusPlusDense) { Distributed = true, Seed = 42 };
/// Table&lt;double&gt; centroids = init.Compute($"part{spmd.Rank}.csv").Centroids;
/// </code>
/// </example>
public sealed class KMeansInit : Algorithm<KMeansInitResult>
{
    /// <summary>Creates the initialisation of <paramref name="clusters"/> centroids with <paramref name="method"/>.</summary>
    /// <param name="clusters">k (daal4py's <c>nClusters</c>), at least 1 and at most the number of rows.</param>
    /// <param name="method">How to choose them (daal4py's default is <see cref="KMeansInitMethod.DeterministicDense"/>).</param>
    public KMeansInit(int clusters, KMeansInitMethod method = KMeansInitMethod.DeterministicDense)
    {
        Clusters = clusters;
        Method = method;
    }

    /// <summary>k, the number of centroids (daal4py's <c>nClusters</c>).</summary>
    public int Clusters { get; }

    /// <summary>The method (daal4py's <c>method</c>).</summary>
    public KMeansInitMethod Method { get; }

    /// <summary>Seed of the random stream (daal4py's <c>seed</c>; default 777 as there). Unused by deterministicDense.</summary>
    public long Seed { get; set; } = 777;

    /// <summary>
    /// Greedy trials per centroid for k-means++ and for the final step of k-means‖ (daal4py's <c>nTrials</c>, default 1):
    /// that many candidates are drawn and the one that lowers the objective most is kept. scikit-learn uses 2 + ⌊ln k⌋.
    /// At most 1000: each trial costs a pass over the rows per centroid, and far fewer already find the best candidate.
    /// </summary>
    public int NTrials { get; set; } = 1;

    /// <summary>The largest <see cref="NTrials"/> accepted.</summary>
    internal const int MaximumTrials = 1000;

    /// <summary>k-means‖: each round samples about <see cref="OversamplingFactor"/>·k candidates (daal4py's <c>oversamplingFactor</c>, default 0.5).</summary>
    public double OversamplingFactor { get; set; } = 0.5;

    /// <summary>k-means‖: the number of oversampling rounds (daal4py's <c>nRounds</c>, default 5).</summary>
    public int NRounds { get; set; } = 5;

    private protected override string Name => "kmeans init";

    internal override KMeansInitResult ComputeDense<T>(Table<T> data, ComputeContext context)
    {
        var communicator = context.Communicator;

        // Agreed, though every rank sees the same options: an unagreed error under MPI aborts the job, and the
        // abort can cut off the one line before it is printed.
        communicator.Collectively(Validate);
        var rows = GlobalRows<T>.Create(communicator, data);
        CheckEnoughRows(Clusters, rows.Total);
        var random = CounterBasedRandom.Create(unchecked((ulong)Seed));
        int threads = context.Threads;
        double[] centroids = Method switch
        {
            KMeansInitMethod.DeterministicDense => RowSelectionSeeding.FirstRows(rows, Clusters),
            KMeansInitMethod.RandomDense => RowSelectionSeeding.DistinctRandomRows(rows, Clusters, random),
            KMeansInitMethod.PlusPlusDense => PlusPlusSeeding.Run(rows, Clusters, NTrials, random, threads),
            KMeansInitMethod.ParallelPlusDense => ParallelPlusSeeding.Run(rows, Clusters, NTrials, OversamplingFactor, NRounds, random, threads),
            _ => throw new DistalException(FailureKind.Usage, $"unknown k-means init method {Method}"),
        };
        return new KMeansInitResult(Table.FromArray(centroids, Clusters, rows.Columns));
    }

    /// <summary>Fails on every rank alike (every rank holds the same totals) when there are fewer rows than clusters.</summary>
    internal static void CheckEnoughRows(int clusters, long totalRows)
    {
        if (clusters > totalRows)
        {
            throw new DistalException(FailureKind.Usage, $"{clusters} clusters requested but the data have only {totalRows} rows");
        }
    }

    private void Validate()
    {
        if (Clusters < 1)
        {
            throw new DistalException(FailureKind.Usage, $"the number of clusters must be at least 1, not {Clusters}");
        }

        if (NTrials < 1 || NTrials > MaximumTrials)
        {
            throw new DistalException(FailureKind.Usage, $"nTrials must be between 1 and {MaximumTrials}, not {NTrials}");
        }

        if (Method == KMeansInitMethod.ParallelPlusDense)
        {
            if (!(OversamplingFactor > 0) || double.IsInfinity(OversamplingFactor))
            {
                throw new DistalException(FailureKind.Usage, $"oversamplingFactor must be positive and finite, not {OversamplingFactor}");
            }

            if (NRounds < 1)
            {
                throw new DistalException(FailureKind.Usage, $"nRounds must be at least 1, not {NRounds}");
            }
        }
    }
}
