namespace Distal.Kernels;

/// <summary>
/// The default when OpenBLAS is present: each kernel from the backend that is faster for the shapes Distal has.
/// The managed tall-skinny kernels (XᵀX, A·Bᵀ, A·B, TSQR) beat OpenBLAS's dsyrk/dgemm/dgeqrf on n ≫ p blocks
/// (docs/kernels.md: about 2× per core for XᵀX and 8× for QR with Q); LAPACK's Cholesky, divide-and-conquer
/// eigensolver and SVD scale better for large p than the managed Jacobi-based ones.
/// </summary>
internal sealed class CompositeDenseKernels(IDenseKernels tallSkinny, IDenseKernels factorizations) : IDenseKernels
{
    public string Name { get; } = $"{tallSkinny.Name}+{factorizations.Name}";

    public void AddGram(ReadOnlySpan<double> x, int rows, int n, Span<double> c, int threads) =>
        tallSkinny.AddGram(x, rows, n, c, threads);

    public void AddGram(ReadOnlySpan<float> x, int rows, int n, Span<double> c, int threads) =>
        tallSkinny.AddGram(x, rows, n, c, threads);

    public void AddShiftedGram(ReadOnlySpan<double> x, int rows, int n, ReadOnlySpan<double> shift, Span<double> sums, Span<double> c, int threads) =>
        tallSkinny.AddShiftedGram(x, rows, n, shift, sums, c, threads);

    public void AddShiftedGram(ReadOnlySpan<float> x, int rows, int n, ReadOnlySpan<double> shift, Span<double> sums, Span<double> c, int threads) =>
        tallSkinny.AddShiftedGram(x, rows, n, shift, sums, c, threads);

    public void MultiplyTransposed(ReadOnlySpan<double> a, int m, int k, ReadOnlySpan<double> b, int n, Span<double> c, int threads) =>
        tallSkinny.MultiplyTransposed(a, m, k, b, n, c, threads);

    public void Multiply(ReadOnlySpan<double> a, int m, int k, ReadOnlySpan<double> b, int n, Span<double> c, int threads) =>
        tallSkinny.Multiply(a, m, k, b, n, c, threads);

    public void QrFactor(Span<double> a, int m, int n, Span<double> r, Span<double> q, int threads) =>
        tallSkinny.QrFactor(a, m, n, r, q, threads);

    public FactoredQr? QrFactorDeferred(ReadOnlySpan<double> source, Span<double> target, int m, int n, Span<double> r, int threads) =>
        tallSkinny.QrFactorDeferred(source, target, m, n, r, threads);

    public bool CholeskySolve(Span<double> a, int n, Span<double> b, int nrhs) =>
        factorizations.CholeskySolve(a, n, b, nrhs);

    public void SymmetricEigen(ReadOnlySpan<double> a, int n, Span<double> values, Span<double> vectors) =>
        factorizations.SymmetricEigen(a, n, values, vectors);

    public void Svd(ReadOnlySpan<double> a, int m, int n, Span<double> s, Span<double> u, Span<double> vt) =>
        factorizations.Svd(a, m, n, s, u, vt);
}
