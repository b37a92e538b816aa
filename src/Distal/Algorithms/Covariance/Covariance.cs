namespace Distal.Algorithms;

/// <summary>
/// Covariance or correlation matrix and column means (daal4py's <c>covariance</c>). Partials hold the count, the
/// mean and the centered cross-product matrix; they merge by the pairwise update
/// C = C_a + C_b + (n_a·n_b/n)·δδᵀ, so no raw Σxxᵀ − n·mean·meanᵀ cancellation ever happens.
/// </summary>
public sealed class Covariance : MergeableAlgorithm<CovarianceResult>
{
    /// <summary>Covariance or correlation.</summary>
    public OutputMatrixType OutputMatrixType { get; set; } = OutputMatrixType.CovarianceMatrix;

    /// <summary>Divide by n instead of n − 1.</summary>
    public bool Bias { get; set; }

    /// <summary>Treat the data as already centered: cross-products are taken about zero and the means are zero.</summary>
    public bool AssumeCentered { get; set; }

    internal override PartialResult CreatePartial(int columns) => new CrossProductPartial(columns, AssumeCentered);

    internal override PartialResult DecodePartial(ReadOnlySpan<byte> bytes) => CrossProductPartial.Decode(bytes);

    internal override void Accumulate<T>(PartialResult partial, ReadOnlySpan<T> rows)
        => ((CrossProductPartial)partial).Accumulate(rows);

    internal override CovarianceResult Finalize(PartialResult partial)
    {
        var p = (CrossProductPartial)partial;
        var matrix = p.CovarianceMatrix(Bias);
        var mean = AssumeCentered ? new double[p.Columns] : (double[])p.Mean.Clone();
        return OutputMatrixType == OutputMatrixType.CorrelationMatrix
            ? new CovarianceResult(p.Count, null, CrossProductPartial.ToCorrelation(matrix), mean)
            : new CovarianceResult(p.Count, matrix, null, mean);
    }
}
