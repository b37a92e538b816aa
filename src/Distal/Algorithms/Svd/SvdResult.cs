using Distal.Kernels;

namespace Distal.Algorithms;

/// <summary>
/// The result of <see cref="Svd"/>: X = U·diag(s)·Vᵀ. With N rows over all ranks and p columns, K = min(N, p):
/// s has K values in descending order, Vᵀ is K×p and U is n_local×K.
/// </summary>
public sealed class SvdResult
{
    private readonly double[] _rightSingularVectors;

    internal SvdResult(long rows, double[] singularValues, double[] rightSingularVectors, int columns, bool returnRight, Table<double>? leftSingularMatrix)
    {
        Rows = rows;
        SingularValues = singularValues;
        _rightSingularVectors = rightSingularVectors;
        RightSingularMatrix = returnRight ? new Table<double>(rightSingularVectors, singularValues.Length, columns) : null;
        LeftSingularMatrix = leftSingularMatrix;
    }

    /// <summary>Number of rows the decomposition is over (all ranks).</summary>
    public long Rows { get; }

    /// <summary>Singular values (daal4py's <c>singularValues</c>), descending; identical on every rank.</summary>
    public double[] SingularValues { get; }

    /// <summary>Vᵀ (daal4py's <c>rightSingularMatrix</c>), K×p, row i the right singular vector of value i; null when not required.</summary>
    public Table<double>? RightSingularMatrix { get; }

    /// <summary>
    /// U (daal4py's <c>leftSingularMatrix</c>): this rank's rows, n_local×K; null when not required and for a streaming
    /// result (pass the rows again to <see cref="FormLeftSingularMatrix"/>).
    /// </summary>
    public Table<double>? LeftSingularMatrix { get; }

    /// <summary>
    /// The rows of U belonging to <paramref name="rows"/> (rows of the decomposed data passed again, for example after
    /// streaming): U = X·V·diag(s)⁻¹. Accurate to about machine precision times s₀/s_i in column i.
    /// </summary>
    /// <exception cref="DistalException">A singular value is zero.</exception>
    public Table<double> FormLeftSingularMatrix(Table<double> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int k = SingularValues.Length;
        int p = _rightSingularVectors.Length / Math.Max(1, k);
        if (rows.Columns != p)
        {
            throw new ArgumentException($"rows have {rows.Columns} columns; the decomposition has {p}", nameof(rows));
        }

        foreach (double s in SingularValues)
        {
            if (s == 0)
            {
                throw new DistalException(FailureKind.Numerical, "a singular value is zero: U cannot be formed from V and s alone");
            }
        }

        var u = Table<double>.Create(rows.Rows, k);
        if (rows.Rows > 0)
        {
            DenseKernels.Current.MultiplyTransposed(rows.Span, rows.Rows, p, _rightSingularVectors, k, u.Span, threads: 1);
        }

        var values = u.Span;
        for (int i = 0; i < rows.Rows; i++)
        {
            for (int j = 0; j < k; j++)
            {
                values[(i * k) + j] /= SingularValues[j];
            }
        }

        return u;
    }
}
