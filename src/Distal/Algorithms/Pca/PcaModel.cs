namespace Distal.Algorithms;

/// <summary>
/// A trained PCA model (what <see cref="PcaTransform"/> needs): the eigenvectors as rows, the eigenvalues, and
/// daal4py's <c>dataForTransform</c> (the means, variances and eigenvalues used to center, scale and whiten), plus the
/// means and variances of the training data when they were computed. Saved as <c>"algorithm": "pca"</c>.
/// </summary>
public sealed class PcaModel : Model, IModelReader<PcaModel>
{
    /// <summary>Creates a model from its parts (arrays are kept, not copied).</summary>
    public PcaModel(double[] eigenvalues, Table<double> eigenvectors, PcaTransformData dataForTransform, double[]? means = null, double[]? variances = null)
    {
        ArgumentNullException.ThrowIfNull(eigenvalues);
        ArgumentNullException.ThrowIfNull(eigenvectors);
        ArgumentNullException.ThrowIfNull(dataForTransform);
        Eigenvalues = eigenvalues;
        Eigenvectors = eigenvectors;
        DataForTransform = dataForTransform;
        Means = means;
        Variances = variances;
    }

    static string IModelReader<PcaModel>.AlgorithmName => "pca";

    static int IModelReader<PcaModel>.LatestVersion => 1;

    /// <inheritdoc/>
    public override string Algorithm => "pca";

    /// <summary>Eigenvalues, largest first (daal4py's <c>eigenvalues</c>).</summary>
    public double[] Eigenvalues { get; }

    /// <summary>Eigenvectors as rows, nComponents × p (daal4py's <c>eigenvectors</c>).</summary>
    public Table<double> Eigenvectors { get; }

    /// <summary>What the transform centers, scales and whitens with (daal4py's <c>dataForTransform</c>).</summary>
    public PcaTransformData DataForTransform { get; }

    /// <summary>Column means of the training data, when computed (daal4py's <c>means</c>).</summary>
    public double[]? Means { get; }

    /// <summary>Column variances of the training data, when computed (daal4py's <c>variances</c>).</summary>
    public double[]? Variances { get; }

    internal override int Version => 1;

    /// <summary>Loads a model saved by <see cref="Model.Save"/> (or the JSON of <c>distal pca --output</c> from before models had a header).</summary>
    /// <exception cref="DistalException">The file is missing, malformed, or not a PCA model.</exception>
    public static PcaModel Load(string path) => Load<PcaModel>(path);

    static PcaModel IModelReader<PcaModel>.Read(ModelReader reader)
    {
        var eigenvectors = reader.Matrix("eigenvectors");
        var eigenvalues = reader.Vector("eigenvalues");
        var transform = reader.OptionalObject("dataForTransform");
        var data = new PcaTransformData(transform?.OptionalVector("mean"), transform?.OptionalVector("variance"), transform?.OptionalVector("eigenvalue"));
        try
        {
            var model = new PcaModel(eigenvalues, eigenvectors, data, reader.OptionalVector("means"), reader.OptionalVector("variances"));
            PcaTransform.Validate(model.Eigenvectors, model.DataForTransform);
            return model;
        }
        catch (ArgumentException e)
        {
            throw new DistalException(FailureKind.Input, $"{reader.Source}: {e.Message}");
        }
    }

    internal override void Write(ModelWriter writer)
    {
        writer.Add("eigenvalues", Eigenvalues);
        writer.Add("eigenvectors", Eigenvectors);
        writer.AddIfPresent("means", Means);
        writer.AddIfPresent("variances", Variances);
        var transform = writer.Object("dataForTransform");
        transform.AddIfPresent("mean", DataForTransform.Mean);
        transform.AddIfPresent("variance", DataForTransform.Variance);
        transform.AddIfPresent("eigenvalue", DataForTransform.Eigenvalue);
    }
}
