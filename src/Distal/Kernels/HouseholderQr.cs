using System.Runtime.CompilerServices;

namespace Distal.Kernels;

/// <summary>
/// Unblocked Householder QR of a row-major block (LAPACK dgeqr2/dorg2r conventions), with the signs fixed so that
/// R has a non-negative diagonal. Q is formed by backward accumulation of the reflectors, which keeps its columns
/// orthonormal to working precision whatever the conditioning of a. The row updates run at the instance's vector
/// width (<typeparamref name="TOps"/>).
/// </summary>
internal static class HouseholderQr<TOps, TV>
    where TOps : struct, IVectorArithmetic<TV>
    where TV : struct
{
    public static void Factor(Span<double> a, int m, int n, Span<double> r, Span<double> q)
    {
        int kk = Math.Min(m, n);
        double[] tau = new double[kk];
        FactorInPlace(a, m, n, tau);
        HouseholderSigns.ExtractR(a, kk, n, r);
        if (!q.IsEmpty)
        {
            q.Clear();
            for (int i = 0; i < kk; i++)
            {
                q[(i * kk) + i] = 1.0;
            }

            double[] w = new double[kk + RegisterTile.MaxLanes];
            for (int j = kk - 1; j >= 0; j--)
            {
                ApplyReflectorLeft(a, m, n, j, tau[j], q, kk, j, kk, w);
            }
        }

        HouseholderSigns.Fix(r, kk, n, q, m);
    }

    /// <summary>
    /// Overwrites a with R (upper triangle) and the reflectors (below the diagonal, v₀ = 1 implicit), as dgeqr2 does.
    /// </summary>
    public static void FactorInPlace(Span<double> a, int m, int n, Span<double> tau)
    {
        int kk = Math.Min(m, n);
        double[] w = new double[n + RegisterTile.MaxLanes];
        for (int j = 0; j < kk; j++)
        {
            tau[j] = MakeReflector(a, m, n, j);
            ApplyReflectorLeft(a, m, n, j, tau[j], a, n, j + 1, n, w);
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

        double beta = -Math.CopySign(HouseholderSigns.Hypot(alpha, xnorm), alpha);
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

    /// <summary>
    /// Applies H_j = I − τvvᵀ (v stored in column j of the reflector block below row j) from the left to columns
    /// [c0, c1) of target (row stride ldt), rows j..m. w needs c1 − c0 + one vector of room.
    /// </summary>
    public static void ApplyReflectorLeft(
        ReadOnlySpan<double> reflectors, int m, int n, int j, double tau, Span<double> target, int ldt, int c0, int c1, Span<double> w)
    {
        if (tau == 0 || c0 >= c1)
        {
            return;
        }

        int width = c1 - c0;
        int vw = TOps.Count;
        int full = width / vw * vw;
        ref double acc = ref w[0];
        ref double top = ref target[(j * ldt) + c0];
        ref double vcol = ref Unsafe.AsRef(in reflectors[0]);
        ref double t0 = ref target[0];

        // acc = rowⱼ + Σᵢ vᵢ·rowᵢ (the reflector's dot products with every column at once, row by row).
        for (int c = 0; c < width; c++)
        {
            Unsafe.Add(ref acc, c) = Unsafe.Add(ref top, c);
        }

        for (int i = j + 1; i < m; i++)
        {
            double v = Unsafe.Add(ref vcol, (i * n) + j);
            TV vv = TOps.Broadcast(v);
            ref double row = ref Unsafe.Add(ref t0, (i * ldt) + c0);
            int c = 0;
            for (; c < full; c += vw)
            {
                TOps.Store(TOps.MultiplyAdd(vv, TOps.Load(ref Unsafe.Add(ref row, c)), TOps.Load(ref Unsafe.Add(ref acc, c))), ref Unsafe.Add(ref acc, c));
            }

            for (; c < width; c++)
            {
                Unsafe.Add(ref acc, c) += v * Unsafe.Add(ref row, c);
            }
        }

        for (int c = 0; c < width; c++)
        {
            Unsafe.Add(ref acc, c) *= tau;
            Unsafe.Add(ref top, c) -= Unsafe.Add(ref acc, c);
        }

        for (int i = j + 1; i < m; i++)
        {
            double v = -Unsafe.Add(ref vcol, (i * n) + j);
            TV vv = TOps.Broadcast(v);
            ref double row = ref Unsafe.Add(ref t0, (i * ldt) + c0);
            int c = 0;
            for (; c < full; c += vw)
            {
                TOps.Store(TOps.MultiplyAdd(vv, TOps.Load(ref Unsafe.Add(ref acc, c)), TOps.Load(ref Unsafe.Add(ref row, c))), ref Unsafe.Add(ref row, c));
            }

            for (; c < width; c++)
            {
                Unsafe.Add(ref row, c) += v * Unsafe.Add(ref acc, c);
            }
        }
    }
}

/// <summary>Width-independent pieces of the Householder factorizations.</summary>
internal static class HouseholderSigns
{
    /// <summary>Copies the upper trapezoid of the first kk rows of a (row stride n) into r (kk×n), zeros below.</summary>
    public static void ExtractR(ReadOnlySpan<double> a, int kk, int n, Span<double> r)
    {
        r.Clear();
        for (int i = 0; i < kk; i++)
        {
            a.Slice((i * n) + i, n - i).CopyTo(r.Slice((i * n) + i, n - i));
        }
    }

    /// <summary>Negates row i of R (and column i of Q) wherever R[i,i] &lt; 0, making the factorization unique.</summary>
    public static void Fix(Span<double> r, int kk, int n, Span<double> q, int m)
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

    public static double Hypot(double x, double y)
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
}
