namespace Distal.Algorithms;

/// <summary>Substitution with an upper triangular matrix.</summary>
internal static class UpperTriangular
{
    /// <summary>
    /// Solves q·R = x for every row x of <paramref name="rows"/> (forward substitution along the row, since R is upper
    /// triangular): q_j = (x_j − Σ_{i&lt;j} q_i·R_ij) / R_jj.
    /// </summary>
    /// <exception cref="DistalException">A diagonal element of R is zero.</exception>
    public static void SolveRows(ReadOnlySpan<double> r, int p, ReadOnlySpan<double> rows, int count, Span<double> result)
    {
        for (int j = 0; j < p; j++)
        {
            if (r[(j * p) + j] == 0)
            {
                throw new DistalException(FailureKind.Numerical, $"R is singular (zero diagonal element {j}): the data are rank-deficient");
            }
        }

        for (int row = 0; row < count; row++)
        {
            var x = rows.Slice(row * p, p);
            var q = result.Slice(row * p, p);
            x.CopyTo(q);
            for (int j = 0; j < p; j++)
            {
                double value = q[j] / r[(j * p) + j];
                q[j] = value;
                var rRow = r.Slice(j * p, p);
                for (int l = j + 1; l < p; l++)
                {
                    q[l] -= value * rRow[l];
                }
            }
        }
    }
}
