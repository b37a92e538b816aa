namespace Distal.Kernels;

/// <summary>
/// Symmetric eigensolver for larger matrices: Householder reduction to tridiagonal form with the transformations
/// accumulated (EISPACK tred2), then the implicit QL method with Wilkinson-type shifts (tql2), as in the public-domain
/// JAMA formulation. Backward stable: residuals are a small multiple of n·ε·‖A‖. The QL rotations act on pairs of
/// eigenvectors, which are kept as rows so each rotation runs over contiguous memory.
/// </summary>
internal static class TridiagonalEigenSolver
{
    public static void Solve(ReadOnlySpan<double> a, int n, Span<double> values, Span<double> vectors)
    {
        if (n == 0)
        {
            return;
        }

        double[] v = a.ToArray();
        JacobiEigenSolver.Symmetrize(v, n);
        double[] d = new double[n];
        double[] e = new double[n];
        Tridiagonalize(v, n, d, e);
        double[] vt = JacobiSvd.Transpose(v, n, n);
        DiagonalizeTridiagonal(vt, n, d, e);
        JacobiEigenSolver.SortDescending(d, vt, n, values, vectors);
    }

    /// <summary>tred2: on return v holds the orthogonal transformation (columns), d the diagonal, e the subdiagonal.</summary>
    private static void Tridiagonalize(double[] v, int n, double[] d, double[] e)
    {
        for (int j = 0; j < n; j++)
        {
            d[j] = v[((n - 1) * n) + j];
        }

        for (int i = n - 1; i > 0; i--)
        {
            // Scale to avoid under/overflow.
            double scale = 0.0;
            double h = 0.0;
            for (int k = 0; k < i; k++)
            {
                scale += Math.Abs(d[k]);
            }

            if (scale == 0.0)
            {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++)
                {
                    d[j] = v[((i - 1) * n) + j];
                    v[(i * n) + j] = 0.0;
                    v[(j * n) + i] = 0.0;
                }
            }
            else
            {
                for (int k = 0; k < i; k++)
                {
                    d[k] /= scale;
                    h += d[k] * d[k];
                }

                double f = d[i - 1];
                double g = Math.Sqrt(h);
                if (f > 0)
                {
                    g = -g;
                }

                e[i] = scale * g;
                h -= f * g;
                d[i - 1] = f - g;
                Array.Clear(e, 0, i);

                // Apply the similarity transformation to the remaining columns.
                for (int j = 0; j < i; j++)
                {
                    f = d[j];
                    v[(j * n) + i] = f;
                    g = e[j] + (v[(j * n) + j] * f);
                    for (int k = j + 1; k <= i - 1; k++)
                    {
                        g += v[(k * n) + j] * d[k];
                        e[k] += v[(k * n) + j] * f;
                    }

                    e[j] = g;
                }

                f = 0.0;
                for (int j = 0; j < i; j++)
                {
                    e[j] /= h;
                    f += e[j] * d[j];
                }

                double hh = f / (h + h);
                for (int j = 0; j < i; j++)
                {
                    e[j] -= hh * d[j];
                }

                for (int j = 0; j < i; j++)
                {
                    f = d[j];
                    g = e[j];
                    for (int k = j; k <= i - 1; k++)
                    {
                        v[(k * n) + j] -= (f * e[k]) + (g * d[k]);
                    }

                    d[j] = v[((i - 1) * n) + j];
                    v[(i * n) + j] = 0.0;
                }
            }

            d[i] = h;
        }

        // Accumulate the transformations.
        for (int i = 0; i < n - 1; i++)
        {
            v[((n - 1) * n) + i] = v[(i * n) + i];
            v[(i * n) + i] = 1.0;
            double h = d[i + 1];
            if (h != 0.0)
            {
                for (int k = 0; k <= i; k++)
                {
                    d[k] = v[(k * n) + i + 1] / h;
                }

                for (int j = 0; j <= i; j++)
                {
                    double g = 0.0;
                    for (int k = 0; k <= i; k++)
                    {
                        g += v[(k * n) + i + 1] * v[(k * n) + j];
                    }

                    for (int k = 0; k <= i; k++)
                    {
                        v[(k * n) + j] -= g * d[k];
                    }
                }
            }

            for (int k = 0; k <= i; k++)
            {
                v[(k * n) + i + 1] = 0.0;
            }
        }

        for (int j = 0; j < n; j++)
        {
            d[j] = v[((n - 1) * n) + j];
            v[((n - 1) * n) + j] = 0.0;
        }

        v[((n - 1) * n) + n - 1] = 1.0;
        e[0] = 0.0;
    }

    /// <summary>tql2 on (d, e); vt's rows are rotated along (they start as the tridiagonalizing transformation's columns).</summary>
    private static void DiagonalizeTridiagonal(double[] vt, int n, double[] d, double[] e)
    {
        for (int i = 1; i < n; i++)
        {
            e[i - 1] = e[i];
        }

        e[n - 1] = 0.0;
        double f = 0.0;
        double tst1 = 0.0;
        const double eps = 2.220446049250313e-16;
        int maxIterations = 60 * n;
        int iterations = 0;
        for (int l = 0; l < n; l++)
        {
            // Find a small subdiagonal element.
            tst1 = Math.Max(tst1, Math.Abs(d[l]) + Math.Abs(e[l]));
            int m = l;
            while (m < n)
            {
                if (Math.Abs(e[m]) <= eps * tst1)
                {
                    break;
                }

                m++;
            }

            if (m > l)
            {
                do
                {
                    if (++iterations > maxIterations)
                    {
                        throw new ArithmeticException("The symmetric eigensolver (implicit QL) did not converge.");
                    }

                    // Implicit shift.
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2.0 * e[l]);
                    double r = HouseholderSigns.Hypot(p, 1.0);
                    if (p < 0)
                    {
                        r = -r;
                    }

                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < n; i++)
                    {
                        d[i] -= h;
                    }

                    f += h;

                    // Implicit QL transformation.
                    p = d[m];
                    double c = 1.0;
                    double c2 = c;
                    double c3 = c;
                    double el1 = e[l + 1];
                    double s = 0.0;
                    double s2 = 0.0;
                    for (int i = m - 1; i >= l; i--)
                    {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = HouseholderSigns.Hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = (c * d[i]) - (s * g);
                        d[i + 1] = h + (s * ((c * g) + (s * d[i])));

                        // Rotate eigenvectors i and i + 1 (rows of vt).
                        VectorOps.Rotate(vt.AsSpan(i * n, n), vt.AsSpan((i + 1) * n, n), c, s);
                    }

                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                }
                while (Math.Abs(e[l]) > eps * tst1);
            }

            d[l] += f;
            e[l] = 0.0;
        }
    }
}
