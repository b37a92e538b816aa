namespace Distal.Algorithms;

/// <summary>Which moments to compute (daal4py's <c>estimatesToCompute</c>).</summary>
public enum EstimatesToCompute
{
    /// <summary>Every moment (<c>estimatesAll</c>).</summary>
    All,

    /// <summary>Minimum and maximum only (<c>estimatesMinMax</c>).</summary>
    MinMax,

    /// <summary>Mean and variance only (<c>estimatesMeanVariance</c>).</summary>
    MeanVariance,
}
