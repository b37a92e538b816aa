namespace Distal.Algorithms;

/// <summary>How <see cref="Pca"/> computes the components (daal4py's <c>method</c>).</summary>
public enum PcaMethod
{
    /// <summary>
    /// Eigendecomposition of the correlation (or, without <see cref="Pca.DoScale"/>, covariance) matrix, from merged
    /// count/mean/centered cross-product partials (daal4py's <c>correlationDense</c>, the default; also <c>defaultDense</c>).
    /// </summary>
    CorrelationDense,

    /// <summary>
    /// SVD of the data centered (and, with <see cref="Pca.DoScale"/>, scaled) with the global means and variances, by
    /// TSQR (daal4py's <c>svdDense</c>). Never forms XᵀX, so it keeps accuracy on ill-conditioned data.
    /// </summary>
    SvdDense,
}
