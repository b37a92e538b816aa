namespace Distal.Algorithms;

/// <summary>Which matrix <see cref="Covariance"/> returns (daal4py's <c>outputMatrixType</c>).</summary>
public enum OutputMatrixType
{
    /// <summary>The covariance matrix (<c>covarianceMatrix</c>).</summary>
    CovarianceMatrix,

    /// <summary>The correlation matrix (<c>correlationMatrix</c>).</summary>
    CorrelationMatrix,
}
