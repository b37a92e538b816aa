namespace Distal.Algorithms;

/// <summary>How linear regression solves its least-squares problem (daal4py's <c>method</c>).</summary>
public enum LinearRegressionMethod
{
    /// <summary>
    /// <c>normEqDense</c>: merged centered cross-products of [X | Y], solved by Cholesky; a singular XᵀX falls back to a
    /// symmetric-eigen pseudo-inverse (the minimum-norm solution). One pass, the fastest; accuracy degrades with the
    /// square of the condition number of X.
    /// </summary>
    NormEqDense = 0,

    /// <summary>
    /// <c>qrDense</c>: merged R factors (TSQR) of the centered [X | Y], then a triangular solve; a rank-deficient R gets
    /// the minimum-norm solution. Accurate for ill-conditioned X.
    /// </summary>
    QrDense = 1,
}
