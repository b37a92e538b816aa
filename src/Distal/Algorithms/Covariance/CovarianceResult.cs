namespace Distal.Algorithms;

/// <summary>The result of <see cref="Covariance"/>: the requested p×p matrix and the column means.</summary>
public sealed class CovarianceResult
{
    internal CovarianceResult(long rows, Table<double>? covariance, Table<double>? correlation, double[] mean)
    {
        Rows = rows;
        Covariance = covariance;
        Correlation = correlation;
        Mean = mean;
    }

    /// <summary>Number of rows the result is over.</summary>
    public long Rows { get; }

    /// <summary>The covariance matrix (null when the correlation matrix was requested).</summary>
    public Table<double>? Covariance { get; }

    /// <summary>The correlation matrix (null when the covariance matrix was requested).</summary>
    public Table<double>? Correlation { get; }

    /// <summary>Column means (zeros when <see cref="Distal.Algorithms.Covariance.AssumeCentered"/> is set).</summary>
    public double[] Mean { get; }
}
