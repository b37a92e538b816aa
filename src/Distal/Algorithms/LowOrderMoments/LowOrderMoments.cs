using System.Numerics;

namespace Distal.Algorithms;

/// <summary>
/// Low-order moments of each column (daal4py's <c>low_order_moments</c>): minimum, maximum, sum, sum of squares,
/// centered sum of squares, mean, second raw moment, variance, standard deviation and variation. Partials merge by
/// Chan's pairwise formula, so the centered sums stay accurate when the mean is large compared with the spread.
/// </summary>
public sealed class LowOrderMoments : MergeableAlgorithm<LowOrderMomentsResult>
{
    /// <summary>Which moments to compute.</summary>
    public EstimatesToCompute EstimatesToCompute { get; set; } = EstimatesToCompute.All;

    internal override PartialResult CreatePartial(int columns) => new MomentsPartial(columns, EstimatesToCompute);

    internal override PartialResult DecodePartial(ReadOnlySpan<byte> bytes) => MomentsPartial.Decode(bytes);

    internal override void Accumulate<T>(PartialResult partial, ReadOnlySpan<T> rows)
        => ((MomentsPartial)partial).Accumulate(rows);

    internal override LowOrderMomentsResult Finalize(PartialResult partial)
        => ((MomentsPartial)partial).ToResult();
}
