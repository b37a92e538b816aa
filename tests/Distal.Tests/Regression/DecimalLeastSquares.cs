using System.Globalization;

namespace Distal.Tests.Regression;

/// <summary>
/// An independent least-squares (and ridge) reference in <see cref="decimal"/> arithmetic (28 significant digits):
/// center in decimal, form the normal equations, solve them by Gaussian elimination with partial pivoting. Squaring
/// the condition number costs 2·log₁₀κ of those 28 digits, so for κ ≤ 1e7 the reference is good to about 1e-14.
/// Inputs must be exact in decimal: text (parsed as written) or doubles on the 2⁻²⁰ grid (<see cref="Grid"/>).
/// </summary>
internal static class DecimalLeastSquares
{
    private const double GridStep = 1.0 / (1 << 20);

    /// <summary>Rounds to the 2⁻²⁰ grid, on which a double converts to decimal exactly.</summary>
    public static double Grid(double value) => Math.Round(value / GridStep) * GridStep;

    public static decimal Exact(double value)
    {
        double scaled = value / GridStep;
        if (scaled != Math.Round(scaled) || Math.Abs(scaled) >= 281474976710656.0)
        {
            throw new ArgumentException($"{value:R} is not on the 2^-20 grid within 2^28", nameof(value));
        }

        return (long)scaled / 1048576m;
    }

    public static decimal[][] Exact(Table<double> table)
        => Enumerable.Range(0, table.Rows).Select(i => table.Row(i).ToArray().Select(Exact).ToArray()).ToArray();

    /// <summary>Reads a headerless CSV's numbers exactly as written (a trailing comma allowed).</summary>
    public static decimal[][] ReadCsv(string path)
        => File.ReadAllLines(path)
            .Where(line => line.Trim().Length > 0)
            .Select(line => line.Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(v => decimal.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray())
            .ToArray();

    public static decimal[][] Columns(decimal[][] rows, int start, int count)
        => rows.Select(r => r.Skip(start).Take(count).ToArray()).ToArray();

    /// <summary>
    /// β (k×(p+1), intercept in column 0) minimizing ‖Y − 1·β₀ − X·β‖² + λ_r‖β_r‖² per response r (λ all 0: plain least
    /// squares). X must have full column rank.
    /// </summary>
    public static double[] Beta(decimal[][] x, decimal[][] y, bool intercept, IReadOnlyList<decimal>? ridge = null)
    {
        int n = x.Length, p = x[0].Length, k = y[0].Length;
        var meanX = new decimal[p];
        var meanY = new decimal[k];
        if (intercept)
        {
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < p; j++)
                {
                    meanX[j] += x[i][j];
                }

                for (int c = 0; c < k; c++)
                {
                    meanY[c] += y[i][c];
                }
            }

            for (int j = 0; j < p; j++)
            {
                meanX[j] /= n;
            }

            for (int c = 0; c < k; c++)
            {
                meanY[c] /= n;
            }
        }

        var gram = new decimal[p, p];
        var rhs = new decimal[p, k];
        var xc = new decimal[p];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < p; j++)
            {
                xc[j] = x[i][j] - meanX[j];
            }

            for (int a = 0; a < p; a++)
            {
                for (int b = 0; b <= a; b++)
                {
                    gram[a, b] += xc[a] * xc[b];
                }

                for (int c = 0; c < k; c++)
                {
                    rhs[a, c] += xc[a] * (y[i][c] - meanY[c]);
                }
            }
        }

        var beta = new double[k * (p + 1)];
        for (int c = 0; c < k; c++)
        {
            var system = new decimal[p, p + 1];
            for (int a = 0; a < p; a++)
            {
                for (int b = 0; b < p; b++)
                {
                    system[a, b] = a >= b ? gram[a, b] : gram[b, a];
                }

                system[a, a] += ridge is null ? 0m : ridge[c];
                system[a, p] = rhs[a, c];
            }

            var solution = Solve(system, p);
            decimal b0 = meanY[c];
            for (int j = 0; j < p; j++)
            {
                b0 -= meanX[j] * solution[j];
                beta[(c * (p + 1)) + j + 1] = (double)solution[j];
            }

            beta[c * (p + 1)] = intercept ? (double)b0 : 0.0;
        }

        return beta;
    }

    /// <summary>Predictions X·βᵀ + β₀ in decimal, n×k row-major.</summary>
    public static double[] Predict(decimal[][] x, double[] beta, int k)
    {
        int p = x[0].Length;
        var prediction = new double[x.Length * k];
        for (int i = 0; i < x.Length; i++)
        {
            for (int c = 0; c < k; c++)
            {
                decimal sum = (decimal)beta[c * (p + 1)];
                for (int j = 0; j < p; j++)
                {
                    sum += x[i][j] * (decimal)beta[(c * (p + 1)) + j + 1];
                }

                prediction[(i * k) + c] = (double)sum;
            }
        }

        return prediction;
    }

    private static decimal[] Solve(decimal[,] system, int p)
    {
        for (int col = 0; col < p; col++)
        {
            int pivot = col;
            for (int i = col + 1; i < p; i++)
            {
                if (Math.Abs(system[i, col]) > Math.Abs(system[pivot, col]))
                {
                    pivot = i;
                }
            }

            if (system[pivot, col] == 0)
            {
                throw new ArgumentException("singular reference system");
            }

            for (int j = 0; j <= p; j++)
            {
                (system[col, j], system[pivot, j]) = (system[pivot, j], system[col, j]);
            }

            for (int i = col + 1; i < p; i++)
            {
                decimal factor = system[i, col] / system[col, col];
                for (int j = col; j <= p; j++)
                {
                    system[i, j] -= factor * system[col, j];
                }
            }
        }

        var solution = new decimal[p];
        for (int i = p - 1; i >= 0; i--)
        {
            decimal sum = system[i, p];
            for (int j = i + 1; j < p; j++)
            {
                sum -= system[i, j] * solution[j];
            }

            solution[i] = sum / system[i, i];
        }

        return solution;
    }
}
