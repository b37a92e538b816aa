namespace Distal.Algorithms;

/// <summary>
/// Per-column moments, named as daal4py names them. Moments that were not requested
/// (see <see cref="EstimatesToCompute"/>) are null.
/// </summary>
public sealed class LowOrderMomentsResult
{
    internal LowOrderMomentsResult(long rows)
    {
        Rows = rows;
    }

    /// <summary>Number of rows the moments are over.</summary>
    public long Rows { get; }

    /// <summary>Column minima.</summary>
    public double[]? Minimum { get; internal init; }

    /// <summary>Column maxima.</summary>
    public double[]? Maximum { get; internal init; }

    /// <summary>Column sums Σx.</summary>
    public double[]? Sum { get; internal init; }

    /// <summary>Column sums of squares Σx².</summary>
    public double[]? SumSquares { get; internal init; }

    /// <summary>Column sums of squared deviations from the mean Σ(x − mean)².</summary>
    public double[]? SumSquaresCentered { get; internal init; }

    /// <summary>Column means.</summary>
    public double[]? Mean { get; internal init; }

    /// <summary>Column second raw moments Σx²/n.</summary>
    public double[]? SecondOrderRawMoment { get; internal init; }

    /// <summary>Column sample variances Σ(x − mean)²/(n − 1).</summary>
    public double[]? Variance { get; internal init; }

    /// <summary>Column sample standard deviations.</summary>
    public double[]? StandardDeviation { get; internal init; }

    /// <summary>Column coefficients of variation: standard deviation / mean.</summary>
    public double[]? Variation { get; internal init; }
}
