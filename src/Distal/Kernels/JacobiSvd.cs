namespace Distal.Kernels;

/// <summary>
/// One-sided (Hestenes) Jacobi SVD. Rotating pairs of columns until they are mutually orthogonal yields singular values
/// with high relative accuracy, so even a matrix with condition number 1e10 gets its small singular values right.
/// </summary>
internal static class JacobiSvd
{
    private const int MaxSweeps = 80;
    private const double Tolerance = 2.2e-16;

    public static void Decompose(ReadOnlySpan<double> a, int m, int n, Span<double> s, Span<double> u, Span<double> vt)
    {
        int kk = Math.Min(m, n);
        if (kk == 0)
        {
            return;
        }

        if (m < n)
        {
            // A = U·S·Vᵀ ⇔ Aᵀ = V·S·Uᵀ: decompose the tall transpose and swap the factors.
            double[] at = Transpose(a, m, n);
            double[] u2 = new double[n * m];
            double[] vt2 = new double[m * m];
            DecomposeTall(at, n, m, s, u2, vt2);
            Transpose(vt2, m, m).CopyTo(u);
            Transpose(u2, n, m).CopyTo(vt);
            return;
        }

        DecomposeTall(a, m, n, s, u, vt);
    }

    /// <summary>m ≥ n ≥ 1: u is m×n, vt is n×n.</summary>
    private static void DecomposeTall(ReadOnlySpan<double> a, int m, int n, Span<double> s, Span<double> u, Span<double> vt)
    {
        // Columns of A are rows of w, so every rotation runs over two contiguous rows.
        double[] w = Transpose(a, m, n);
        double[] v = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            v[(i * n) + i] = 1.0;
        }

        for (int sweep = 0; sweep < MaxSweeps; sweep++)
        {
            bool rotated = false;
            for (int p = 0; p < n - 1; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    rotated |= OrthogonalizePair(w, v, m, n, p, q);
                }
            }

            if (!rotated)
            {
                break;
            }
        }

        double[] norms = new double[n];
        for (int j = 0; j < n; j++)
        {
            norms[j] = Norm(w.AsSpan(j * m, m));
        }

        int[] order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (x, y) =>
        {
            int c = norms[y].CompareTo(norms[x]);
            return c != 0 ? c : x.CompareTo(y);
        });

        u.Clear();
        for (int k = 0; k < n; k++)
        {
            int j = order[k];
            double sigma = norms[j];
            s[k] = sigma;
            v.AsSpan(j * n, n).CopyTo(vt.Slice(k * n, n));
            if (sigma > 0)
            {
                double inv = 1.0 / sigma;
                for (int i = 0; i < m; i++)
                {
                    u[(i * n) + k] = w[(j * m) + i] * inv;
                }
            }
        }

        CompleteBasis(u, m, n, s);
    }

    private static bool OrthogonalizePair(double[] w, double[] v, int m, int n, int p, int q)
    {
        Span<double> wp = w.AsSpan(p * m, m);
        Span<double> wq = w.AsSpan(q * m, m);
        double alpha = VectorOps.Dot(wp, wp);
        double beta = VectorOps.Dot(wq, wq);
        double gamma = VectorOps.Dot(wp, wq);
        if (gamma == 0 || Math.Abs(gamma) <= Tolerance * Math.Sqrt(alpha) * Math.Sqrt(beta))
        {
            return false;
        }

        double zeta = (beta - alpha) / (2 * gamma);
        double t = Math.CopySign(1.0, zeta) / (Math.Abs(zeta) + Math.Sqrt(1 + (zeta * zeta)));
        if (double.IsInfinity(zeta * zeta))
        {
            t = 0.5 / zeta;
        }

        double c = 1.0 / Math.Sqrt(1 + (t * t));
        double sn = t * c;
        VectorOps.Rotate(wp, wq, c, sn);
        VectorOps.Rotate(v.AsSpan(p * n, n), v.AsSpan(q * n, n), c, sn);
        return true;
    }

    /// <summary>
    /// Gives the columns of u that belong to zero singular values unit vectors orthogonal to all others, so that u
    /// always has orthonormal columns.
    /// </summary>
    public static void CompleteBasis(Span<double> u, int m, int kk, ReadOnlySpan<double> s)
    {
        double[] column = new double[m];
        int candidate = 0;
        for (int k = 0; k < kk; k++)
        {
            if (s[k] > 0)
            {
                continue;
            }

            while (true)
            {
                if (candidate >= m)
                {
                    throw new InvalidOperationException("No unit vector left to complete the basis.");
                }

                Array.Clear(column);
                column[candidate++] = 1.0;

                // Twice is enough (Kahan–Parlett) for Gram–Schmidt against an orthonormal set.
                for (int pass = 0; pass < 2; pass++)
                {
                    for (int j = 0; j < kk; j++)
                    {
                        if (j == k || (s[j] <= 0 && j > k))
                        {
                            continue;
                        }

                        double dot = 0;
                        for (int i = 0; i < m; i++)
                        {
                            dot += u[(i * kk) + j] * column[i];
                        }

                        for (int i = 0; i < m; i++)
                        {
                            column[i] -= dot * u[(i * kk) + j];
                        }
                    }
                }

                double norm = Norm(column);
                if (norm > 0.5)
                {
                    for (int i = 0; i < m; i++)
                    {
                        u[(i * kk) + k] = column[i] / norm;
                    }

                    break;
                }
            }
        }
    }

    private static double Norm(ReadOnlySpan<double> x)
    {
        double max = 0;
        foreach (double value in x)
        {
            max = Math.Max(max, Math.Abs(value));
        }

        if (max == 0 || !double.IsFinite(max))
        {
            return max;
        }

        double sum = 0;
        foreach (double value in x)
        {
            double scaled = value / max;
            sum += scaled * scaled;
        }

        return max * Math.Sqrt(sum);
    }

    public static double[] Transpose(ReadOnlySpan<double> a, int m, int n)
    {
        double[] t = new double[a.Length];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                t[(j * m) + i] = a[(i * n) + j];
            }
        }

        return t;
    }
}
