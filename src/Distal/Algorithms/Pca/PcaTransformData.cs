namespace Distal.Algorithms;

/// <summary>
/// What <see cref="PcaTransform"/> applies before and after projecting (daal4py's <c>dataForTransform</c>, keys
/// <c>mean</c>, <c>variance</c>, <c>eigenvalue</c>): t = ((x − mean) / √variance) · Eᵀ / √eigenvalue, each step only
/// when its vector is present.
/// </summary>
public sealed class PcaTransformData
{
    /// <summary>Creates transform data; any vector may be null (that step is skipped).</summary>
    public PcaTransformData(double[]? mean, double[]? variance, double[]? eigenvalue)
    {
        Mean = mean;
        Variance = variance;
        Eigenvalue = eigenvalue;
    }

    /// <summary>Column means subtracted first, or null.</summary>
    public double[]? Mean { get; }

    /// <summary>Column variances: centered values are divided by their square roots (a zero variance gives 0), or null.</summary>
    public double[]? Variance { get; }

    /// <summary>Eigenvalues: each component is divided by the square root of its eigenvalue (whitening), or null.</summary>
    public double[]? Eigenvalue { get; }
}
