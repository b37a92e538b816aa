namespace Distal.Tests.Kernels;

/// <summary>Plain scalar float64 references, written independently of the kernels under test.</summary>
internal static class ReferenceLinearAlgebra
{
    public static double[] Random(Random random, int count, double scale = 1.0)
    {
        double[] x = new double[count];
        for (int i = 0; i < count; i++)
        {
            x[i] = ((random.NextDouble() * 2) - 1) * scale;
        }

        return x;
    }

    public static double[] Abs(double[] x) => Array.ConvertAll(x, Math.Abs);

    public static double[] Gram(double[] x, int rows, int n)
    {
        double[] c = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int r = 0; r < rows; r++)
                {
                    s += x[(r * n) + i] * x[(r * n) + j];
                }

                c[(i * n) + j] = s;
            }
        }

        return c;
    }

    /// <summary>c = a (m×k) · b (k×n).</summary>
    public static double[] Multiply(double[] a, int m, int k, double[] b, int n)
    {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                {
                    s += a[(i * k) + p] * b[(p * n) + j];
                }

                c[(i * n) + j] = s;
            }
        }

        return c;
    }

    public static double[] Transpose(double[] a, int m, int n)
    {
        double[] t = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                t[(j * m) + i] = a[(i * n) + j];
            }
        }

        return t;
    }

    public static double Frobenius(double[] a)
    {
        double s = 0;
        foreach (double v in a)
        {
            s += v * v;
        }

        return Math.Sqrt(s);
    }

    public static double MaxAbsDifference(double[] a, double[] b)
    {
        Assert.Equal(a.Length, b.Length);
        double max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }

        return max;
    }

    public static double FrobeniusDifference(double[] a, double[] b)
    {
        Assert.Equal(a.Length, b.Length);
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = a[i] - b[i];
            s += d * d;
        }

        return Math.Sqrt(s);
    }

    /// <summary>‖MᵀM − I‖_F for an m×k matrix with (supposedly) orthonormal columns.</summary>
    public static double OrthonormalityError(double[] q, int m, int k)
    {
        double[] g = Gram(q, m, k);
        for (int i = 0; i < k; i++)
        {
            g[(i * k) + i] -= 1.0;
        }

        return Frobenius(g);
    }

    /// <summary>
    /// R of a = Q·R by Givens rotations (a different algorithm from the Householder kernels), with R's diagonal made
    /// non-negative. Returns kk×n.
    /// </summary>
    public static double[] GivensR(double[] a, int m, int n)
    {
        double[] w = (double[])a.Clone();
        int kk = Math.Min(m, n);
        for (int j = 0; j < kk; j++)
        {
            for (int i = m - 1; i > j; i--)
            {
                double x = w[((i - 1) * n) + j];
                double y = w[(i * n) + j];
                if (y == 0)
                {
                    continue;
                }

                double r = Math.Sqrt((x * x) + (y * y));
                double c = x / r;
                double s = y / r;
                for (int col = 0; col < n; col++)
                {
                    double top = w[((i - 1) * n) + col];
                    double bottom = w[(i * n) + col];
                    w[((i - 1) * n) + col] = (c * top) + (s * bottom);
                    w[(i * n) + col] = (-s * top) + (c * bottom);
                }
            }
        }

        double[] result = new double[kk * n];
        for (int i = 0; i < kk; i++)
        {
            double sign = w[(i * n) + i] < 0 ? -1 : 1;
            for (int col = i; col < n; col++)
            {
                result[(i * n) + col] = sign * w[(i * n) + col];
            }
        }

        return result;
    }

    /// <summary>A random n×n orthogonal matrix: Q of a Gram–Schmidt (twice) on random columns.</summary>
    public static double[] RandomOrthogonal(Random random, int n)
    {
        double[] q = Random(random, n * n);
        for (int j = 0; j < n; j++)
        {
            for (int pass = 0; pass < 2; pass++)
            {
                for (int k = 0; k < j; k++)
                {
                    double dot = 0;
                    for (int i = 0; i < n; i++)
                    {
                        dot += q[(i * n) + j] * q[(i * n) + k];
                    }

                    for (int i = 0; i < n; i++)
                    {
                        q[(i * n) + j] -= dot * q[(i * n) + k];
                    }
                }
            }

            double norm = 0;
            for (int i = 0; i < n; i++)
            {
                norm += q[(i * n) + j] * q[(i * n) + j];
            }

            norm = Math.Sqrt(norm);
            for (int i = 0; i < n; i++)
            {
                q[(i * n) + j] /= norm;
            }
        }

        return q;
    }

    /// <summary>U (m×kk) · diag(s) · Vᵀ (kk×n).</summary>
    public static double[] ComposeSvd(double[] u, double[] s, double[] vt, int m, int n)
    {
        int kk = s.Length;
        double[] us = new double[m * kk];
        for (int i = 0; i < m; i++)
        {
            for (int k = 0; k < kk; k++)
            {
                us[(i * kk) + k] = u[(i * kk) + k] * s[k];
            }
        }

        return Multiply(us, m, kk, vt, n);
    }

    /// <summary>Solves a·x = b by Gaussian elimination with partial pivoting (a: n×n, b: n×nrhs).</summary>
    public static double[] GaussSolve(double[] a, double[] b, int n, int nrhs)
    {
        double[] w = (double[])a.Clone();
        double[] x = (double[])b.Clone();
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int i = col + 1; i < n; i++)
            {
                if (Math.Abs(w[(i * n) + col]) > Math.Abs(w[(pivot * n) + col]))
                {
                    pivot = i;
                }
            }

            for (int j = 0; j < n; j++)
            {
                (w[(col * n) + j], w[(pivot * n) + j]) = (w[(pivot * n) + j], w[(col * n) + j]);
            }

            for (int j = 0; j < nrhs; j++)
            {
                (x[(col * nrhs) + j], x[(pivot * nrhs) + j]) = (x[(pivot * nrhs) + j], x[(col * nrhs) + j]);
            }

            for (int i = col + 1; i < n; i++)
            {
                double f = w[(i * n) + col] / w[(col * n) + col];
                for (int j = col; j < n; j++)
                {
                    w[(i * n) + j] -= f * w[(col * n) + j];
                }

                for (int j = 0; j < nrhs; j++)
                {
                    x[(i * nrhs) + j] -= f * x[(col * nrhs) + j];
                }
            }
        }

        for (int i = n - 1; i >= 0; i--)
        {
            for (int j = 0; j < nrhs; j++)
            {
                double s = x[(i * nrhs) + j];
                for (int k = i + 1; k < n; k++)
                {
                    s -= w[(i * n) + k] * x[(k * nrhs) + j];
                }

                x[(i * nrhs) + j] = s / w[(i * n) + i];
            }
        }

        return x;
    }
}
