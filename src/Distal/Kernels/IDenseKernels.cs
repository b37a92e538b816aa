namespace Distal.Kernels;

/// <summary>
/// The dense linear-algebra kernels every algorithm calls, whichever backend runs them.
/// All matrices are row-major <see cref="double"/> (except the float input of <c>AddGram</c>) and every span has
/// exactly the size its shape implies.
/// </summary>
internal interface IDenseKernels
{
    /// <summary>Backend name, e.g. <c>managed-avx2</c> or <c>openblas</c>.</summary>
    string Name { get; }

    /// <summary>c (n×n, full symmetric, both triangles written) += xᵀx for the rows×n block x.</summary>
    void AddGram(ReadOnlySpan<double> x, int rows, int n, Span<double> c, int threads);

    /// <summary>c (n×n, full symmetric) += xᵀx for a float block, accumulated in double.</summary>
    void AddGram(ReadOnlySpan<float> x, int rows, int n, Span<double> c, int threads);

    /// <summary>
    /// c (n×n, full symmetric) += Σᵢ (xᵢ − s)(xᵢ − s)ᵀ and sums (n) += Σᵢ (xᵢ − s) for the rows xᵢ of the rows×n block
    /// x and the shift row s (n): the statistics of a shifted partial, with the subtraction done while the rows are
    /// loaded, never on a copy of the block.
    /// </summary>
    void AddShiftedGram(ReadOnlySpan<double> x, int rows, int n, ReadOnlySpan<double> shift, Span<double> sums, Span<double> c, int threads);

    /// <summary>The shifted Gram matrix and sums of a float block, accumulated in double.</summary>
    void AddShiftedGram(ReadOnlySpan<float> x, int rows, int n, ReadOnlySpan<double> shift, Span<double> sums, Span<double> c, int threads);

    /// <summary>c (m×n) = a (m×k) · bᵀ, where b is n×k.</summary>
    void MultiplyTransposed(ReadOnlySpan<double> a, int m, int k, ReadOnlySpan<double> b, int n, Span<double> c, int threads);

    /// <summary>c (m×n) = a (m×k) · b (k×n).</summary>
    void Multiply(ReadOnlySpan<double> a, int m, int k, ReadOnlySpan<double> b, int n, Span<double> c, int threads);

    /// <summary>
    /// Thin Householder QR of a (m×n, any m ≥ 0, n ≥ 1; a is overwritten), kk = min(m, n).
    /// r: kk×n upper trapezoidal with non-negative diagonal; q: m×kk with orthonormal columns, or empty to skip Q.
    /// </summary>
    void QrFactor(Span<double> a, int m, int n, Span<double> r, Span<double> q, int threads);

    /// <summary>
    /// QR of source (m×n, m ≥ n ≥ 1) with Q left unformed: r (n×n) as <see cref="QrFactor"/> gives it; target (m×n,
    /// may be source itself) receives the factored form, which the result later overwrites with Q·B in one pass.
    /// Null, with nothing written, when the backend forms Q only whole (then QrFactor and a product it is).
    /// </summary>
    FactoredQr? QrFactorDeferred(ReadOnlySpan<double> source, Span<double> target, int m, int n, Span<double> r, int threads);

    /// <summary>
    /// Solves a·x = b for symmetric positive definite a (n×n, overwritten by its Cholesky factor); b is n×nrhs and is
    /// overwritten by x. Returns false (b unspecified) when a is not numerically positive definite.
    /// </summary>
    bool CholeskySolve(Span<double> a, int n, Span<double> b, int nrhs);

    /// <summary>Symmetric a (n×n): values descending; vectors n×n, row i is the unit eigenvector of values[i].</summary>
    void SymmetricEigen(ReadOnlySpan<double> a, int n, Span<double> values, Span<double> vectors);

    /// <summary>Small dense SVD of a (m×n), kk = min(m, n): s descending (kk), u m×kk, vt kk×n.</summary>
    void Svd(ReadOnlySpan<double> a, int m, int n, Span<double> s, Span<double> u, Span<double> vt);
}
