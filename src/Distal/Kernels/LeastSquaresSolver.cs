namespace Distal.Kernels;

/// <summary>
/// The small p×p solves least squares ends in, from normal equations (XᵀX + λI)·β = XᵀY or from the R factor of
/// [X | Y] (R₁₁·β = R₁₂). Both give the minimum-norm solution when the system is singular, never NaN.
/// <para>
/// Rank is decided on the column-equilibrated system (unit diagonal of XᵀX, unit column norms of R₁₁), so that a
/// feature measured in micrometres and one in kilometres are judged alike; the minimum norm is then taken in the
/// caller's coordinates: the equilibrated null space N̂ maps to S·N̂ (S the scaling), and the particular solution is
/// projected onto the orthogonal complement of that space.
/// </para>
/// </summary>
internal static class LeastSquaresSolver
{
    /// <summary>
    /// Eigenvalues of the equilibrated Gram matrix (or singular values of the equilibrated R₁₁) at most this fraction
    /// of the largest count as zero. Rounding perturbs each entry of an equilibrated p×p matrix by a few ε, so its
    /// eigenvalues by up to about p·ε: below that, a direction is noise. 16 leaves room for blocked summation.
    /// </summary>
    public static double RankTolerance(int p) => 16.0 * Math.Max(p, 1) * (Math.BitIncrement(1.0) - 1.0);

    /// <summary>
    /// x (p×k) = minimum-norm solution of (a + ridge·I)·x = b, a symmetric positive semi-definite (p×p), b p×k,
    /// all row-major. Cholesky when the equilibrated matrix is numerically positive definite, else a symmetric-eigen
    /// pseudo-inverse. Returns true when the system had full rank.
    /// </summary>
    public static bool SolveNormalEquations(IDenseKernels kernels, ReadOnlySpan<double> a, int p, ReadOnlySpan<double> b, int k, double ridge, Span<double> x)
    {
        if (p == 0)
        {
            return true;
        }

        var scale = new double[p];
        for (int j = 0; j < p; j++)
        {
            double diagonal = a[(j * p) + j] + ridge;
            scale[j] = diagonal > 0 ? 1.0 / Math.Sqrt(diagonal) : 1.0;
        }

        var scaled = new double[p * p];
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                double v = a[(i * p) + j] + (i == j ? ridge : 0.0);
                scaled[(i * p) + j] = scale[i] * v * scale[j];
            }
        }

        var y = new double[p * k];
        ScaleRows(b, scale, p, k, y);
        double tolerance = RankTolerance(p);

        // Cholesky overwrites its input (L on the diagonal for both backends), so the eigen fallback gets a copy.
        var factor = (double[])scaled.Clone();
        if (kernels.CholeskySolve(factor, p, y, k) && MinimumPivot(factor, p) > tolerance)
        {
            ScaleRows(y, scale, p, k, x);
            return true;
        }

        var values = new double[p];
        var vectors = new double[p * p];
        kernels.SymmetricEigen(scaled, p, values, vectors);
        double cut = tolerance * Math.Max(values[0], 0.0);
        int rank = 0;
        while (rank < p && values[rank] > cut)
        {
            rank++;
        }

        // y = Σ over kept eigenpairs v·(vᵀ·S·b)/λ.
        var rhs = new double[p * k];
        ScaleRows(b, scale, p, k, rhs);
        Array.Clear(y);
        for (int e = 0; e < rank; e++)
        {
            AddProjection(vectors.AsSpan(e * p, p), 1.0 / values[e], rhs, p, k, y);
        }

        ScaleRows(y, scale, p, k, x);
        ProjectOutNullSpace(kernels, vectors.AsSpan(rank * p, (p - rank) * p), p - rank, scale, p, k, x);
        return false;
    }

    /// <summary>
    /// x (p×k) = minimum-norm solution of r·x = b for upper triangular r (p×p) and b p×k, row-major. Back substitution
    /// when the equilibrated r has full numerical rank, else an SVD pseudo-inverse of it. Returns true for full rank.
    /// </summary>
    public static bool SolveUpperTriangular(IDenseKernels kernels, ReadOnlySpan<double> r, int p, ReadOnlySpan<double> b, int k, Span<double> x)
    {
        if (p == 0)
        {
            return true;
        }

        var scale = new double[p];
        for (int j = 0; j < p; j++)
        {
            double norm = 0;
            for (int i = 0; i <= j; i++)
            {
                norm += r[(i * p) + j] * r[(i * p) + j];
            }

            scale[j] = norm > 0 ? 1.0 / Math.Sqrt(norm) : 1.0;
        }

        var scaled = new double[p * p];
        for (int i = 0; i < p; i++)
        {
            for (int j = i; j < p; j++)
            {
                scaled[(i * p) + j] = r[(i * p) + j] * scale[j];
            }
        }

        var s = new double[p];
        var u = new double[p * p];
        var vt = new double[p * p];
        kernels.Svd(scaled, p, p, s, u, vt);
        double cut = RankTolerance(p) * s[0];
        int rank = 0;
        while (rank < p && s[rank] > cut)
        {
            rank++;
        }

        if (rank == p)
        {
            BackSubstitute(r, p, b, k, x);
            return true;
        }

        // y = Σ over kept singular triples v·(uᵀ·b)/σ; u's columns are the left singular vectors.
        var column = new double[p];
        var y = new double[p * k];
        var projection = new double[k];
        for (int e = 0; e < rank; e++)
        {
            for (int i = 0; i < p; i++)
            {
                column[i] = u[(i * p) + e];
            }

            Array.Clear(projection);
            for (int i = 0; i < p; i++)
            {
                for (int c = 0; c < k; c++)
                {
                    projection[c] += column[i] * b[(i * k) + c];
                }
            }

            var v = vt.AsSpan(e * p, p);
            for (int i = 0; i < p; i++)
            {
                for (int c = 0; c < k; c++)
                {
                    y[(i * k) + c] += v[i] * projection[c] / s[e];
                }
            }
        }

        ScaleRows(y, scale, p, k, x);
        ProjectOutNullSpace(kernels, vt.AsSpan(rank * p, (p - rank) * p), p - rank, scale, p, k, x);
        return false;
    }

    private static double MinimumPivot(ReadOnlySpan<double> factor, int p)
    {
        double minimum = double.PositiveInfinity;
        for (int j = 0; j < p; j++)
        {
            double l = factor[(j * p) + j];
            minimum = Math.Min(minimum, l * l);
        }

        return minimum;
    }

    private static void BackSubstitute(ReadOnlySpan<double> r, int p, ReadOnlySpan<double> b, int k, Span<double> x)
    {
        for (int i = p - 1; i >= 0; i--)
        {
            var xi = x.Slice(i * k, k);
            b.Slice(i * k, k).CopyTo(xi);
            for (int j = i + 1; j < p; j++)
            {
                double rij = r[(i * p) + j];
                var xj = x.Slice(j * k, k);
                for (int c = 0; c < k; c++)
                {
                    xi[c] -= rij * xj[c];
                }
            }

            double inverse = 1.0 / r[(i * p) + i];
            for (int c = 0; c < k; c++)
            {
                xi[c] *= inverse;
            }
        }
    }

    /// <summary>y += v·(vᵀ·rhs)·weight for a unit vector v, rhs and y p×k.</summary>
    private static void AddProjection(ReadOnlySpan<double> v, double weight, ReadOnlySpan<double> rhs, int p, int k, Span<double> y)
    {
        Span<double> dot = k <= 256 ? stackalloc double[k] : new double[k];
        dot.Clear();
        for (int i = 0; i < p; i++)
        {
            for (int c = 0; c < k; c++)
            {
                dot[c] += v[i] * rhs[(i * k) + c];
            }
        }

        for (int i = 0; i < p; i++)
        {
            for (int c = 0; c < k; c++)
            {
                y[(i * k) + c] += v[i] * dot[c] * weight;
            }
        }
    }

    /// <summary>
    /// x −= Q·Qᵀ·x, Q an orthonormal basis of S·N, where N's <paramref name="nullity"/> rows are the equilibrated
    /// null vectors: what is left is the solution of least norm in the caller's coordinates.
    /// </summary>
    private static void ProjectOutNullSpace(IDenseKernels kernels, ReadOnlySpan<double> nullRows, int nullity, ReadOnlySpan<double> scale, int p, int k, Span<double> x)
    {
        if (nullity == 0)
        {
            return;
        }

        if (nullity == p)
        {
            x[..(p * k)].Clear();
            return;
        }

        // M = S·N as p×nullity, row-major.
        var m = new double[p * nullity];
        for (int e = 0; e < nullity; e++)
        {
            for (int i = 0; i < p; i++)
            {
                m[(i * nullity) + e] = scale[i] * nullRows[(e * p) + i];
            }
        }

        var r = new double[nullity * nullity];
        var q = new double[p * nullity];
        kernels.QrFactor(m, p, nullity, r, q, threads: 1);
        var column = new double[p];
        for (int e = 0; e < nullity; e++)
        {
            for (int i = 0; i < p; i++)
            {
                column[i] = q[(i * nullity) + e];
            }

            AddProjection(column, -1.0, x.ToArray(), p, k, x);
        }
    }

    private static void ScaleRows(ReadOnlySpan<double> source, ReadOnlySpan<double> scale, int p, int k, Span<double> destination)
    {
        for (int i = 0; i < p; i++)
        {
            for (int c = 0; c < k; c++)
            {
                destination[(i * k) + c] = source[(i * k) + c] * scale[i];
            }
        }
    }
}
