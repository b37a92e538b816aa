namespace Distal.Kernels;

/// <summary>
/// Cyclic two-sided Jacobi eigensolver for a symmetric matrix. Slow (O(n³) per sweep) but the most accurate method
/// there is: every eigenpair has a residual of a few ulps of ‖A‖, and small eigenvalues keep high relative accuracy.
/// </summary>
internal static class JacobiEigenSolver
{
    /// <summary>
    /// Largest order solved by Jacobi; above it the O(n³)-per-sweep cost outgrows tridiagonal QL's one-off O(n³).
    /// Below it Jacobi's extra accuracy (high relative accuracy of small eigenvalues) comes at little cost.
    /// </summary>
    public const int MaxOrder = 128;

    private const int MaxSweeps = 60;

    public static void Solve(ReadOnlySpan<double> a, int n, Span<double> values, Span<double> vectors)
    {
        double[] w = a.ToArray();
        Symmetrize(w, n);

        // vt holds Vᵀ: its rows are the eigenvectors, so each rotation touches two contiguous rows.
        double[] vt = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            vt[(i * n) + i] = 1.0;
        }

        for (int sweep = 0; sweep < MaxSweeps; sweep++)
        {
            bool rotated = false;
            for (int p = 0; p < n - 1; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    rotated |= RotatePair(w, vt, n, p, q);
                }
            }

            if (!rotated)
            {
                break;
            }
        }

        double[] diag = new double[n];
        for (int i = 0; i < n; i++)
        {
            diag[i] = w[(i * n) + i];
        }

        SortDescending(diag, vt, n, values, vectors);
    }

    /// <summary>Averages a with its transpose so that tiny asymmetries in the input cannot bias the rotations.</summary>
    public static void Symmetrize(Span<double> w, int n)
    {
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                double mean = 0.5 * (w[(i * n) + j] + w[(j * n) + i]);
                w[(i * n) + j] = mean;
                w[(j * n) + i] = mean;
            }
        }
    }

    /// <summary>Copies eigenpairs into the output in descending order of the value (stable on ties).</summary>
    public static void SortDescending(ReadOnlySpan<double> diag, ReadOnlySpan<double> rowsVectors, int n, Span<double> values, Span<double> vectors)
    {
        int[] order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        double[] keys = diag.ToArray();
        Array.Sort(order, (x, y) =>
        {
            int c = keys[y].CompareTo(keys[x]);
            return c != 0 ? c : x.CompareTo(y);
        });
        for (int i = 0; i < n; i++)
        {
            values[i] = diag[order[i]];
            rowsVectors.Slice(order[i] * n, n).CopyTo(vectors.Slice(i * n, n));
        }
    }

    private static bool RotatePair(double[] w, double[] vt, int n, int p, int q)
    {
        double apq = w[(p * n) + q];
        if (apq == 0)
        {
            return false;
        }

        double app = w[(p * n) + p];
        double aqq = w[(q * n) + q];

        // Skip when the off-diagonal entry no longer changes either diagonal entry (de Rijk's threshold).
        if (Math.Abs(apq) <= 1.1e-16 * Math.Sqrt(Math.Abs(app)) * Math.Sqrt(Math.Abs(aqq)))
        {
            w[(p * n) + q] = 0;
            w[(q * n) + p] = 0;
            return false;
        }

        double theta = (aqq - app) / (2 * apq);
        double t = Math.CopySign(1.0, theta) / (Math.Abs(theta) + Math.Sqrt(1 + (theta * theta)));
        if (double.IsInfinity(theta * theta))
        {
            t = 0.5 / theta;
        }

        double c = 1.0 / Math.Sqrt(1 + (t * t));
        double s = t * c;

        // A ← Jᵀ·A·J on rows p, q, then on columns p, q.
        VectorOps.Rotate(w.AsSpan(p * n, n), w.AsSpan(q * n, n), c, s);
        for (int k = 0; k < n; k++)
        {
            double akp = w[(k * n) + p];
            double akq = w[(k * n) + q];
            w[(k * n) + p] = (c * akp) - (s * akq);
            w[(k * n) + q] = (s * akp) + (c * akq);
        }

        w[(p * n) + p] = app - (t * apq);
        w[(q * n) + q] = aqq + (t * apq);
        w[(p * n) + q] = 0;
        w[(q * n) + p] = 0;
        VectorOps.Rotate(vt.AsSpan(p * n, n), vt.AsSpan(q * n, n), c, s);
        return true;
    }
}
