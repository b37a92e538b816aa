namespace Distal.Algorithms;

/// <summary>The result of <see cref="PcaTransform"/>.</summary>
public sealed class PcaTransformResult
{
    internal PcaTransformResult(Table<double> transformedData) => TransformedData = transformedData;

    /// <summary>The transformed rows (daal4py's <c>transformedData</c>): this rank's rows × nComponents.</summary>
    public Table<double> TransformedData { get; }
}
