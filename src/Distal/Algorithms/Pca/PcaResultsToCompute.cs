namespace Distal.Algorithms;

/// <summary>
/// What <see cref="Pca"/> returns besides eigenvalues and eigenvectors, and so what
/// <see cref="PcaResult.DataForTransform"/> carries (daal4py's <c>resultsToCompute</c>, e.g. <c>"mean|variance|eigenvalue"</c>).
/// </summary>
[Flags]
public enum PcaResultsToCompute
{
    /// <summary>Eigenvalues and eigenvectors only; the transform then projects the raw rows.</summary>
    None = 0,

    /// <summary>Column means; the transform centers the rows.</summary>
    Mean = 1,

    /// <summary>Column variances; the transform also scales the rows by 1/√variance when the PCA was on correlations.</summary>
    Variance = 2,

    /// <summary>Eigenvalues for the transform: it then whitens each component by 1/√eigenvalue.</summary>
    Eigenvalue = 4,
}
