using System.Numerics;

namespace Distal.Algorithms;

/// <summary>
/// Low-order moments of each column (daal4py's <c>low_order_moments</c>): minimum, maximum, sum, sum of squares,
/// centered sum of squares, mean, second raw moment, variance, standard deviation and variation. Partials merge by
/// Chan's pairwise formula, so the centered sums stay accurate when the mean is large compared with the spread.
/// </summary>
public sealed class LowOrderMoments : MergeableAlgorithm<LowOrderMomentsResult>, IMergeableAlgorithm<MomentsPartial, LowOrderMomentsResult>
{
    /// <summary>Which moments to compute.</summary>
    public EstimatesToCompute EstimatesToCompute { get; set; } = EstimatesToCompute.All;

    string IMergeableAlgorithm<MomentsPartial, LowOrderMomentsResult>.Name => Name;

    string? IMergeableAlgorithm<MomentsPartial, LowOrderMomentsResult>.TargetName => null;

    internal override PartialEngine<LowOrderMomentsResult> Engine => PartialEngine.Of(this);

    private protected override string Name => "low order moments";

    MomentsPartial IMergeableAlgorithm<MomentsPartial, LowOrderMomentsResult>.CreatePartial(InputShape shape, ComputeContext context)
        => new(shape.DataColumns, EstimatesToCompute);

    /// <summary>
    /// Computes the result over CSR rows (daal4py's <c>fastCSR</c>; this rank's rows when distributed) without
    /// densifying them; equal to the dense result on the same values, to rounding.
    /// </summary>
    public LowOrderMomentsResult Compute(CsrTable<double> data) => ComputeRows(data);

    /// <summary>Computes the result over CSR rows of float values; accumulation is in double.</summary>
    public LowOrderMomentsResult Compute(CsrTable<float> data) => ComputeRows(data);

    void IMergeableAlgorithm<MomentsPartial, LowOrderMomentsResult>.Accumulate<T>(MomentsPartial partial, AlgorithmInput<T> rows, ComputeContext context)
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

    LowOrderMomentsResult IMergeableAlgorithm<MomentsPartial, LowOrderMomentsResult>.Finalize(MomentsPartial partial, ComputeContext context)
    {
        var result = partial.ToResult();

        // Variation (σ/mean) is ∞ for a zero mean by definition; the others are finite for finite, in-range data.
        foreach (var (statistic, values) in (ReadOnlySpan<(string, double[]?)>)[("sum", result.Sum), ("sum of squares", result.SumSquares), ("centered sum of squares", result.SumSquaresCentered), ("mean", result.Mean)])
        {
            ResultOverflow.ThrowIfAny(Name, statistic, values);
        }

        return result;
    }
}
