namespace Distal.Algorithms;

/// <summary>
/// Covariance or correlation matrix and column means (daal4py's <c>covariance</c>). Partials hold the count, the
/// mean and the centered cross-product matrix; they merge by the pairwise update
/// C = C_a + C_b + (n_a·n_b/n)·δδᵀ, so no raw Σxxᵀ − n·mean·meanᵀ cancellation ever happens.
/// </summary>
public sealed class Covariance : MergeableAlgorithm<CovarianceResult>, IMergeableAlgorithm<CrossProductPartial, CovarianceResult>
{
    /// <summary>Covariance or correlation.</summary>
    public OutputMatrixType OutputMatrixType { get; set; } = OutputMatrixType.CovarianceMatrix;

    /// <summary>Divide by n instead of n − 1.</summary>
    public bool Bias { get; set; }

    /// <summary>Treat the data as already centered: cross-products are taken about zero and the means are zero.</summary>
    public bool AssumeCentered { get; set; }

    string IMergeableAlgorithm<CrossProductPartial, CovarianceResult>.Name => Name;

    string? IMergeableAlgorithm<CrossProductPartial, CovarianceResult>.TargetName => null;

    internal override PartialEngine<CovarianceResult> Engine => PartialEngine.Of(this);

    private protected override string Name => "covariance";

    CrossProductPartial IMergeableAlgorithm<CrossProductPartial, CovarianceResult>.CreatePartial(InputShape shape, ComputeContext context)
        => new(shape.DataColumns, AssumeCentered);

    /// <summary>
    /// Computes the result over CSR rows (daal4py's <c>fastCSR</c>; this rank's rows when distributed) without
    /// densifying them; equal to the dense result on the same values, to rounding.
    /// </summary>
    public CovarianceResult Compute(CsrTable<double> data) => ComputeRows(data);

    /// <summary>Computes the result over CSR rows of float values; accumulation is in double.</summary>
    public CovarianceResult Compute(CsrTable<float> data) => ComputeRows(data);

    void IMergeableAlgorithm<CrossProductPartial, CovarianceResult>.Accumulate<T>(CrossProductPartial partial, AlgorithmInput<T> rows, ComputeContext context)
    {
        if (rows.Data is CsrTable<T> sparse)
        {
            SparseAccumulation.Accumulate(partial, sparse);
        }
        else
        {
            partial.Accumulate(rows.DenseData(Name).Span);
        }
    }

    CovarianceResult IMergeableAlgorithm<CrossProductPartial, CovarianceResult>.Finalize(CrossProductPartial p, ComputeContext context)
    {
        var matrix = p.CovarianceMatrix(Bias);
        var mean = AssumeCentered ? new double[p.Columns] : (double[])p.Mean.Clone();
        ResultOverflow.ThrowIfAny(Name, "mean", mean);
        ResultOverflow.ThrowIfAny(Name, "covariance", matrix.Span, p.Columns);
        return OutputMatrixType == OutputMatrixType.CorrelationMatrix
            ? new CovarianceResult(p.Count, null, CrossProductPartial.ToCorrelation(matrix), mean)
            : new CovarianceResult(p.Count, matrix, null, mean);
    }
}
