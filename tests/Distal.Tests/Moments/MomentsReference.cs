namespace Distal.Tests.Moments;

/// <summary>Straightforward two-pass float64 moments and covariance: the independent reference.</summary>
internal static class MomentsReference
{
    public static (double[] Min, double[] Max, double[] Sum, double[] SumSquares, double[] SumSquaresCentered, double[] Mean, double[] Raw2, double[] Variance, double[] Std, double[] Variation) Moments(double[][] rows)
    {
        int p = rows[0].Length;
        int n = rows.Length;
        var min = new double[p];
        var max = new double[p];
        var sum = new double[p];
        var squares = new double[p];
        var centered = new double[p];
        var mean = new double[p];
        var raw2 = new double[p];
        var variance = new double[p];
        var std = new double[p];
        var variation = new double[p];
        for (int j = 0; j < p; j++)
        {
            min[j] = rows.Min(r => r[j]);
            max[j] = rows.Max(r => r[j]);
            sum[j] = rows.Sum(r => r[j]);
            squares[j] = rows.Sum(r => r[j] * r[j]);
            mean[j] = sum[j] / n;
            centered[j] = rows.Sum(r => (r[j] - mean[j]) * (r[j] - mean[j]));
            raw2[j] = squares[j] / n;
            variance[j] = centered[j] / (n - 1);
            std[j] = Math.Sqrt(variance[j]);
            variation[j] = std[j] / mean[j];
        }

        return (min, max, sum, squares, centered, mean, raw2, variance, std, variation);
    }

    public static double[] Covariance(double[][] rows, bool bias = false)
    {
        int p = rows[0].Length;
        int n = rows.Length;
        var mean = Enumerable.Range(0, p).Select(j => rows.Sum(r => r[j]) / n).ToArray();
        var c = new double[p * p];
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                c[(i * p) + j] = rows.Sum(r => (r[i] - mean[i]) * (r[j] - mean[j])) / (bias ? n : n - 1);
            }
        }

        return c;
    }
}
