namespace Distal.Tests.Regression;

/// <summary>Generated regression data on the 2⁻²⁰ grid, so that <see cref="DecimalLeastSquares"/> reads it exactly.</summary>
internal static class RegressionData
{
    /// <summary>n×p: <paramref name="offset"/> + <paramref name="scale"/>·N(0, 1) per value.</summary>
    public static Table<double> Features(Random random, int n, int p, double offset = 0, double scale = 1)
    {
        var values = new double[n * p];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = DecimalLeastSquares.Grid(offset + (scale * Gaussian(random)));
        }

        return new Table<double>(values, p);
    }

    /// <summary>n×k: β₀ + X·βᵀ + noise·N(0, 1), for β k×(p+1) row-major.</summary>
    public static Table<double> Responses(Random random, Table<double> x, double[] beta, int k, double noise)
    {
        int n = x.Rows, p = x.Columns;
        var y = new double[n * k];
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < k; c++)
            {
                double v = beta[c * (p + 1)];
                for (int j = 0; j < p; j++)
                {
                    v += beta[(c * (p + 1)) + j + 1] * x[i, j];
                }

                y[(i * k) + c] = DecimalLeastSquares.Grid(v + (noise * Gaussian(random)));
            }
        }

        return new Table<double>(y, k);
    }

    /// <summary>k×(p+1) coefficients of magnitude about 1.</summary>
    public static double[] Coefficients(Random random, int p, int k)
        => Enumerable.Range(0, k * (p + 1)).Select(_ => (random.NextDouble() * 4) - 2).ToArray();

    public static double Gaussian(Random random)
        => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Columns [start, start + count) of a table, copied.</summary>
    public static Table<double> Columns(Table<double> table, int start, int count)
    {
        var values = new double[table.Rows * count];
        for (int i = 0; i < table.Rows; i++)
        {
            table.Row(i).Slice(start, count).CopyTo(values.AsSpan(i * count));
        }

        return Table.FromArray(values, table.Rows, count);
    }
}
