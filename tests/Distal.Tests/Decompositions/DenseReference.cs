namespace Distal.Tests.Decompositions;

/// <summary>
/// Straightforward float64 linear algebra for references, independent of Distal's kernels: products, random
/// matrices, Gram–Schmidt, cyclic Jacobi eigendecomposition.
/// </summary>
public static class DenseReference
{
    /// <summary>c (m×n) = a (m×k) · b (k×n).</summary>
    public static double[] Multiply(ReadOnlySpan<double> a, int m, int k, ReadOnlySpan<double> b, int n)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int l = 0; l < k; l++)
            {
                double x = a[(i * k) + l];
                for (int j = 0; j < n; j++)
                {
                    c[(i * n) + j] += x * b[(l * n) + j];
                }
            }
        }

        return c;
    }

    /// <summary>aᵀa for a (m×n).</summary>
    public static double[] Gram(ReadOnlySpan<double> a, int m, int n)
    {
        var c = new double[n * n];
        for (int r = 0; r < m; r++)
        {
            var row = a.Slice(r * n, n);
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    c[(i * n) + j] += row[i] * row[j];
                }
            }
        }

        return c;
    }

    public static double MaxAbs(ReadOnlySpan<double> values)
    {
        double max = 0;
        foreach (double v in values)
        {
            max = Math.Max(max, Math.Abs(v));
        }

        return max;
    }

    /// <summary>max |a − b| / max |b|.</summary>
    public static double RelativeError(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double error = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            error = Math.Max(error, Math.Abs(actual[i] - expected[i]));
        }

        return error / Math.Max(MaxAbs(expected), 1e-300);
    }

    /// <summary>max |aᵀa − I| for a (m×n).</summary>
    public static double OrthonormalityError(ReadOnlySpan<double> a, int m, int n)
    {
        var g = Gram(a, m, n);
        double error = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                error = Math.Max(error, Math.Abs(g[(i * n) + j] - (i == j ? 1 : 0)));
            }
        }

        return error;
    }

    public static double[] Gaussian(Random random, int count)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            values[i] = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }

        return values;
    }

    /// <summary>An m×n matrix (m ≥ n) with orthonormal columns: modified Gram–Schmidt, twice, of Gaussian columns.</summary>
    public static double[] OrthonormalColumns(Random random, int m, int n)
    {
        var a = Gaussian(random, m * n);
        for (int pass = 0; pass < 2; pass++)
        {
            for (int j = 0; j < n; j++)
            {
                for (int i = 0; i < j; i++)
                {
                    double dot = 0;
                    for (int r = 0; r < m; r++)
                    {
                        dot += a[(r * n) + i] * a[(r * n) + j];
                    }

                    for (int r = 0; r < m; r++)
                    {
                        a[(r * n) + j] -= dot * a[(r * n) + i];
                    }
                }

                double norm = 0;
                for (int r = 0; r < m; r++)
                {
                    norm += a[(r * n) + j] * a[(r * n) + j];
                }

                norm = Math.Sqrt(norm);
                for (int r = 0; r < m; r++)
                {
                    a[(r * n) + j] /= norm;
                }
            }
        }

        return a;
    }

    /// <summary>
    /// Cyclic Jacobi eigendecomposition of a symmetric n×n matrix: values descending, vectors as rows.
    /// Slow and simple on purpose; converged to machine precision.
    /// </summary>
    public static (double[] Values, double[] Vectors) SymmetricEigen(ReadOnlySpan<double> symmetric, int n)
    {
        var a = symmetric.ToArray();
        var v = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            v[(i * n) + i] = 1;
        }

        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int i = 0; i < n; i++)
            {
                for (int j = i + 1; j < n; j++)
                {
                    off += a[(i * n) + j] * a[(i * n) + j];
                }
            }

            if (off == 0)
            {
                break;
            }

            for (int p = 0; p < n; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    double apq = a[(p * n) + q];
                    if (apq == 0)
                    {
                        continue;
                    }

                    double theta = (a[(q * n) + q] - a[(p * n) + p]) / (2 * apq);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
                    double c = 1 / Math.Sqrt((t * t) + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[(k * n) + p];
                        double akq = a[(k * n) + q];
                        a[(k * n) + p] = (c * akp) - (s * akq);
                        a[(k * n) + q] = (s * akp) + (c * akq);
                    }

                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[(p * n) + k];
                        double aqk = a[(q * n) + k];
                        a[(p * n) + k] = (c * apk) - (s * aqk);
                        a[(q * n) + k] = (s * apk) + (c * aqk);
                    }

                    for (int k = 0; k < n; k++)
                    {
                        double vkp = v[(k * n) + p];
                        double vkq = v[(k * n) + q];
                        v[(k * n) + p] = (c * vkp) - (s * vkq);
                        v[(k * n) + q] = (s * vkp) + (c * vkq);
                    }
                }
            }
        }

        var order = Enumerable.Range(0, n).OrderByDescending(i => a[(i * n) + i]).ToArray();
        var values = order.Select(i => a[(i * n) + i]).ToArray();
        var vectors = new double[n * n];
        for (int r = 0; r < n; r++)
        {
            for (int k = 0; k < n; k++)
            {
                vectors[(r * n) + k] = v[(k * n) + order[r]];
            }
        }

        return (values, vectors);
    }

    /// <summary>Flips each row so that its largest-magnitude element (the first such) is positive.</summary>
    public static void LargestComponentPositive(Span<double> rows, int n)
    {
        for (int r = 0; r < rows.Length / n; r++)
        {
            var row = rows.Slice(r * n, n);
            int largest = 0;
            for (int k = 1; k < n; k++)
            {
                if (Math.Abs(row[k]) > Math.Abs(row[largest]))
                {
                    largest = k;
                }
            }

            if (row[largest] < 0)
            {
                foreach (ref double x in row)
                {
                    x = -x;
                }
            }
        }
    }

    public static Table<double> Concatenate(IReadOnlyList<Table<double>> tables)
    {
        int columns = tables.Max(t => t.Columns);
        var all = tables.SelectMany(t => t.Span.ToArray()).ToArray();
        return new Table<double>(all, all.Length / Math.Max(1, columns), columns);
    }
}
