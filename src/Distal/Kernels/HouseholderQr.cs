namespace Distal.Kernels;

/// <summary>
/// Unblocked Householder QR of a row-major block (LAPACK dgeqr2/dorg2r conventions), with the signs fixed so that
/// R has a non-negative diagonal. Q is formed by backward accumulation of the reflectors, which keeps its columns
/// orthonormal to working precision whatever the conditioning of a.
/// </summary>
internal static class HouseholderQr
{
    public static void Factor(Span<double> a, int m, int n, Span<double> r, Span<double> q)
    {
        int kk = Math.Min(m, n);
        double[] tau = new double[kk];
        double[] w = new double[n];
        for (int j = 0; j < kk; j++)
        {
            tau[j] = MakeReflector(a, m, n, j);
            ApplyReflectorLeft(a, m, n, j, tau[j], a, n, j + 1, n, w);
        }

        r.Clear();
        for (int i = 0; i < kk; i++)
        {
            a.Slice((i * n) + i, n - i).CopyTo(r.Slice((i * n) + i, n - i));
        }

        if (!q.IsEmpty)
        {
            q.Clear();
            for (int i = 0; i < kk; i++)
            {
                q[(i * kk) + i] = 1.0;
            }

            for (int j = kk - 1; j >= 0; j--)
            {
                ApplyReflectorLeft(a, m, n, j, tau[j], q, kk, j, kk, w);
            }
        }

        FixSigns(r, kk, n, q, m);
    }

    /// <summary>Negates row i of R (and column i of Q) wherever R[i,i] &lt; 0, making the factorization unique.</summary>
    public static void FixSigns(Span<double> r, int kk, int n, Span<double> q, int m)
    {
        for (int i = 0; i < kk; i++)
        {
            if (r[(i * n) + i] < 0)
            {
                Span<double> row = r.Slice((i * n) + i, n - i);
                for (int c = 0; c < row.Length; c++)
                {
                    row[c] = -row[c];
                }

                if (!q.IsEmpty)
                {
                    for (int k = 0; k < m; k++)
                    {
                        q[(k * kk) + i] = -q[(k * kk) + i];
                    }
                }
            }
        }
    }

    /// <summary>
    /// Turns column j of a (rows j..m) into a reflector as LAPACK's dlarfg does: on return a[j,j] = β, rows below
    /// hold v (with implicit v₀ = 1), and H = I − τvvᵀ maps the original column to βe₁.
    /// </summary>
    private static double MakeReflector(Span<double> a, int m, int n, int j)
    {
        double alpha = a[(j * n) + j];
        double xnorm = ColumnNorm(a, m, n, j);
        if (xnorm == 0)
        {
            return 0;
        }

        double beta = -Math.CopySign(Hypot(alpha, xnorm), alpha);
        double tau = (beta - alpha) / beta;
        double scale = 1.0 / (alpha - beta);
        for (int i = j + 1; i < m; i++)
        {
            a[(i * n) + j] *= scale;
        }

        a[(j * n) + j] = beta;
        return tau;
    }

    /// <summary>Euclidean norm of a[j+1..m, j], rescaled only when plain squaring would overflow or underflow.</summary>
    private static double ColumnNorm(ReadOnlySpan<double> a, int m, int n, int j)
    {
        double sum = 0;
        for (int i = j + 1; i < m; i++)
        {
            double v = a[(i * n) + j];
            sum += v * v;
        }

        if (double.IsFinite(sum) && (sum == 0 || sum >= 1e-280))
        {
            return Math.Sqrt(sum);
        }

        double max = 0;
        for (int i = j + 1; i < m; i++)
        {
            max = Math.Max(max, Math.Abs(a[(i * n) + j]));
        }

        if (max == 0 || !double.IsFinite(max))
        {
            return max;
        }

        double scaled = 0;
        for (int i = j + 1; i < m; i++)
        {
            double v = a[(i * n) + j] / max;
            scaled += v * v;
        }

        return max * Math.Sqrt(scaled);
    }

    private static double Hypot(double x, double y)
    {
        x = Math.Abs(x);
        y = Math.Abs(y);
        double big = Math.Max(x, y);
        double small = Math.Min(x, y);
        if (big == 0)
        {
            return 0;
        }

        double ratio = small / big;
        return big * Math.Sqrt(1 + (ratio * ratio));
    }

    /// <summary>
    /// Applies H_j = I − τvvᵀ (v stored in column j of the reflector block below row j) from the left to columns
    /// [c0, c1) of target (row stride ldt), rows j..m.
    /// </summary>
    private static void ApplyReflectorLeft(
        ReadOnlySpan<double> reflectors, int m, int n, int j, double tau, Span<double> target, int ldt, int c0, int c1, Span<double> w)
    {
        if (tau == 0 || c0 >= c1)
        {
            return;
        }

        int width = c1 - c0;
        Span<double> acc = w[..width];
        target.Slice((j * ldt) + c0, width).CopyTo(acc);
        for (int i = j + 1; i < m; i++)
        {
            double v = reflectors[(i * n) + j];
            ReadOnlySpan<double> row = target.Slice((i * ldt) + c0, width);
            for (int c = 0; c < width; c++)
            {
                acc[c] += v * row[c];
            }
        }

        for (int c = 0; c < width; c++)
        {
            acc[c] *= tau;
        }

        Span<double> top = target.Slice((j * ldt) + c0, width);
        for (int c = 0; c < width; c++)
        {
            top[c] -= acc[c];
        }

        for (int i = j + 1; i < m; i++)
        {
            double v = reflectors[(i * n) + j];
            Span<double> row = target.Slice((i * ldt) + c0, width);
            for (int c = 0; c < width; c++)
            {
                row[c] -= v * acc[c];
            }
        }
    }
}
