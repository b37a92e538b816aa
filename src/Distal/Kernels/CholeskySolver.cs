namespace Distal.Kernels;

/// <summary>
/// Cholesky factorization a = L·Lᵀ (L in the lower triangle of a, row-major) and the two triangular solves.
/// A matrix is rejected exactly when LAPACK's dpotrf would reject it (a pivot that is not positive, or NaN), so both
/// backends agree on what "not positive definite" means.
/// </summary>
internal static class CholeskySolver
{
    public static bool Solve(Span<double> a, int n, Span<double> b, int nrhs)
    {
        if (!Factor(a, n))
        {
            return false;
        }

        // Forward: L·y = b, row by row.
        for (int i = 0; i < n; i++)
        {
            Span<double> bi = b.Slice(i * nrhs, nrhs);
            for (int k = 0; k < i; k++)
            {
                double l = a[(i * n) + k];
                ReadOnlySpan<double> bk = b.Slice(k * nrhs, nrhs);
                for (int c = 0; c < nrhs; c++)
                {
                    bi[c] -= l * bk[c];
                }
            }

            double inv = 1.0 / a[(i * n) + i];
            for (int c = 0; c < nrhs; c++)
            {
                bi[c] *= inv;
            }
        }

        // Backward: Lᵀ·x = y; Lᵀ[i,k] = L[k,i].
        for (int i = n - 1; i >= 0; i--)
        {
            Span<double> bi = b.Slice(i * nrhs, nrhs);
            for (int k = i + 1; k < n; k++)
            {
                double l = a[(k * n) + i];
                ReadOnlySpan<double> bk = b.Slice(k * nrhs, nrhs);
                for (int c = 0; c < nrhs; c++)
                {
                    bi[c] -= l * bk[c];
                }
            }

            double inv = 1.0 / a[(i * n) + i];
            for (int c = 0; c < nrhs; c++)
            {
                bi[c] *= inv;
            }
        }

        return true;
    }

    /// <summary>Overwrites the lower triangle of a with L (the strict upper triangle is left as it was).</summary>
    public static bool Factor(Span<double> a, int n)
    {
        for (int j = 0; j < n; j++)
        {
            ReadOnlySpan<double> lj = a.Slice(j * n, j);
            double d = a[(j * n) + j] - Dot(lj, lj);
            if (!(d > 0) || !double.IsFinite(d))
            {
                return false;
            }

            double ljj = Math.Sqrt(d);
            a[(j * n) + j] = ljj;
            double inv = 1.0 / ljj;
            for (int i = j + 1; i < n; i++)
            {
                double s = a[(i * n) + j] - Dot(a.Slice(i * n, j), lj);
                a[(i * n) + j] = s * inv;
            }
        }

        return true;
    }

    private static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => VectorOps.Dot(x, y);
}
