namespace Distal.Algorithms;

/// <summary>
/// The result of <see cref="Qr"/>: X = Q·R with R upper triangular with a non-negative diagonal (so R is unique for
/// full-rank data, and the same whatever the number of ranks up to rounding) and Q with orthonormal columns.
/// With N rows over all ranks and p columns, K = min(N, p): R is K×p and Q is n_local×K.
/// </summary>
public sealed class QrResult
{
    internal QrResult(long rows, Table<double> matrixR, Table<double>? matrixQ)
    {
        Rows = rows;
        MatrixR = matrixR;
        MatrixQ = matrixQ;
    }

    /// <summary>Number of rows the factorization is over (all ranks).</summary>
    public long Rows { get; }

    /// <summary>R (daal4py's <c>matrixR</c>): K×p, upper triangular, non-negative diagonal; bitwise identical on every rank.</summary>
    public Table<double> MatrixR { get; }

    /// <summary>
    /// Q (daal4py's <c>matrixQ</c>): this rank's rows, n_local×K. Null for a streaming result, which keeps only R;
    /// pass the rows again to <see cref="FormQ"/> to get their rows of Q.
    /// </summary>
    public Table<double>? MatrixQ { get; }

    /// <summary>
    /// The rows of Q belonging to <paramref name="rows"/> (rows of the data this R factors, passed again, for example
    /// after streaming): Q = X·R⁻¹ by substitution. Its columns are orthonormal to about machine precision times the
    /// condition number of the data; use the batch or distributed <see cref="Qr"/> when the data are ill-conditioned.
    /// </summary>
    /// <exception cref="DistalException">R is singular (rank-deficient data, or fewer rows than columns).</exception>
    public Table<double> FormQ(Table<double> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int p = MatrixR.Columns;
        if (rows.Columns != p)
        {
            throw new ArgumentException($"rows have {rows.Columns} columns; R has {p}", nameof(rows));
        }

        if (MatrixR.Rows < p)
        {
            throw new DistalException(FailureKind.Numerical, $"R has {MatrixR.Rows} rows for {p} columns: Q cannot be formed from R alone");
        }

        var q = Table<double>.Create(rows.Rows, p);
        UpperTriangular.SolveRows(MatrixR.Span, p, rows.Span, rows.Rows, q.Span);
        return q;
    }
}
