namespace Distal.Algorithms;

/// <summary>The result of <see cref="Pca"/>; identical on every rank.</summary>
public sealed class PcaResult
{
    internal PcaResult(long rows, double[] eigenvalues, Table<double> eigenvectors, double[]? means, double[]? variances, PcaTransformData dataForTransform)
    {
        Rows = rows;
        Eigenvalues = eigenvalues;
        Eigenvectors = eigenvectors;
        Means = means;
        Variances = variances;
        DataForTransform = dataForTransform;
    }

    /// <summary>Number of rows the result is over (all ranks); 0 for a precomputed correlation input.</summary>
    public long Rows { get; }

    /// <summary>Eigenvalues, descending (nComponents values): variances of the data along the components.</summary>
    public double[] Eigenvalues { get; }

    /// <summary>Eigenvectors: nComponents×p, row i the unit component of eigenvalue i.</summary>
    public Table<double> Eigenvectors { get; }

    /// <summary>Column means, when <see cref="PcaResultsToCompute.Mean"/> was requested; otherwise null.</summary>
    public double[]? Means { get; }

    /// <summary>Column variances (divisor n − 1), when <see cref="PcaResultsToCompute.Variance"/> was requested; otherwise null.</summary>
    public double[]? Variances { get; }

    /// <summary>What <see cref="PcaTransform"/> needs to transform rows the way this PCA saw them (see <see cref="PcaResultsToCompute"/>).</summary>
    public PcaTransformData DataForTransform { get; }

    /// <summary>The trained model (eigenvectors, eigenvalues and transform data) that <see cref="PcaTransform"/> uses and <see cref="Model.Save"/> saves.</summary>
    public PcaModel Model => new(Eigenvalues, Eigenvectors, DataForTransform, Means, Variances);
}
