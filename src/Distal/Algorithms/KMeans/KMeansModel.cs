using System.Numerics;
using Distal.Communication;
using Distal.Kernels;

namespace Distal.Algorithms;

/// <summary>
/// A trained k-means model: its centroids. <see cref="Predict(Table{double})"/> assigns new rows to them, so data that
/// arrive in chunks (or never fit in memory) are clustered chunk by chunk. Local: no communication. Saved as
/// <c>"algorithm": "kmeans"</c> with daal4py's field <c>centroids</c>.
/// </summary>
public sealed class KMeansModel : Model, IModelReader<KMeansModel>
{
    private readonly double[] _centroids;
    private readonly AssignmentCentroids _set;

    /// <summary>Creates the model of <paramref name="centroids"/> (k × p, copied).</summary>
    public KMeansModel(Table<double> centroids)
    {
        ArgumentNullException.ThrowIfNull(centroids);
        if (centroids.Rows < 1 || centroids.Columns < 1)
        {
            throw new DistalException(FailureKind.Usage, "a k-means model needs at least one centroid of at least one column");
        }

        _centroids = centroids.Span.ToArray();
        Clusters = centroids.Rows;
        Columns = centroids.Columns;
        _set = new AssignmentCentroids(_centroids, Clusters, Columns);
    }

    static string IModelReader<KMeansModel>.AlgorithmName => "kmeans";

    static int IModelReader<KMeansModel>.LatestVersion => 1;

    /// <inheritdoc/>
    public override string Algorithm => "kmeans";

    /// <summary>Number of clusters k.</summary>
    public int Clusters { get; }

    /// <summary>Number of columns p of the rows.</summary>
    public int Columns { get; }

    /// <summary>The centroids, k × p (a copy).</summary>
    public Table<double> Centroids => Table.FromArray((double[])_centroids.Clone(), Clusters, Columns);

    internal override int Version => 1;

    /// <summary>
    /// Loads a model saved by <see cref="Model.Save"/>, or the <c>centroids</c> of a <c>distal kmeans</c> or
    /// <c>kmeans-init</c> JSON result.
    /// </summary>
    /// <exception cref="DistalException">The file is missing, malformed, or has no usable centroids.</exception>
    public static KMeansModel Load(string path) => Load<KMeansModel>(path);

    static KMeansModel IModelReader<KMeansModel>.Read(ModelReader reader) => new(reader.Matrix("centroids"));

    internal override void Write(ModelWriter writer) => writer.Add("centroids", Centroids);

    /// <summary>Assigns each row of <paramref name="rows"/> to its nearest centroid.</summary>
    public KMeansPrediction Predict(Table<double> rows) => PredictTable(rows);

    /// <summary>Assigns each row of <paramref name="rows"/> to its nearest centroid (distances in double).</summary>
    public KMeansPrediction Predict(Table<float> rows) => PredictTable(rows);

    private KMeansPrediction PredictTable<T>(Table<T> rows)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Rows > 0 && rows.Columns != Columns)
        {
            throw new DistalException(FailureKind.Input, $"rows have {rows.Columns} columns; the model's centroids have {Columns}");
        }

        var assignments = new int[rows.Rows];
        int threads = ThreadBudget.For(SelfCommunicator.Instance);
        int ranges = RowRanges.Count(rows.Rows, Columns * Clusters, threads);
        var workers = new AssignmentWorker[ranges];
        var kernels = DenseKernels.Current;
        RowRanges.Run(rows.Rows, ranges, threads, (r, start, end) =>
        {
            var worker = new AssignmentWorker(Clusters, Columns, accumulate: false, farthestCapacity: 0);
            worker.Process<T>(rows.Span.Slice(start * Columns, (end - start) * Columns), assignments.AsSpan(start, end - start), start, _set, kernels);
            workers[r] = worker;
        });

        double objective = 0;
        foreach (var worker in workers)
        {
            objective += worker.Partial.Objective;
        }

        return new KMeansPrediction(assignments, objective);
    }
}
