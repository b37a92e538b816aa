using System.Runtime.Intrinsics;

namespace Distal.Kernels;

/// <summary>
/// The managed backend: always available, no native dependency. The vector width is fixed per instance, so tests can
/// run every width in one process; <see cref="DenseKernels"/> uses <see cref="SimdWidths.Default"/>.
/// </summary>
internal sealed class ManagedDenseKernels : IDenseKernels
{
    private readonly SimdWidth width;

    public ManagedDenseKernels(SimdWidth width)
    {
        if (!SimdWidths.IsSupported(width))
        {
            throw new PlatformNotSupportedException($"This CPU does not accelerate {SimdWidths.Label(width)}-bit vectors.");
        }

        this.width = width;
        Name = "managed-" + SimdWidths.Label(width);
    }

    public string Name { get; }

    public SimdWidth Width => width;

    public void AddGram(ReadOnlySpan<double> x, int rows, int n, Span<double> c, int threads)
    {
        KernelShapes.Gram(x.Length, rows, n, c.Length);
        Gram(x, rows, n, [], [], c, threads);
    }

    public void AddGram(ReadOnlySpan<float> x, int rows, int n, Span<double> c, int threads)
    {
        KernelShapes.Gram(x.Length, rows, n, c.Length);
        Gram(x, rows, n, [], [], c, threads);
    }

    public void AddShiftedGram(ReadOnlySpan<double> x, int rows, int n, ReadOnlySpan<double> shift, Span<double> sums, Span<double> c, int threads)
    {
        KernelShapes.ShiftedGram(x.Length, rows, n, shift.Length, sums.Length, c.Length);
        Gram(x, rows, n, shift, sums, c, threads);
    }

    public void AddShiftedGram(ReadOnlySpan<float> x, int rows, int n, ReadOnlySpan<double> shift, Span<double> sums, Span<double> c, int threads)
    {
        KernelShapes.ShiftedGram(x.Length, rows, n, shift.Length, sums.Length, c.Length);
        Gram(x, rows, n, shift, sums, c, threads);
    }

    public void MultiplyTransposed(ReadOnlySpan<double> a, int m, int k, ReadOnlySpan<double> b, int n, Span<double> c, int threads)
    {
        KernelShapes.Product(a.Length, m, k, b.Length, n, c.Length);
        Product(a, m, k, b, n, c, threads, transposedB: true);
    }

    public void Multiply(ReadOnlySpan<double> a, int m, int k, ReadOnlySpan<double> b, int n, Span<double> c, int threads)
    {
        KernelShapes.Product(a.Length, m, k, b.Length, n, c.Length);
        Product(a, m, k, b, n, c, threads, transposedB: false);
    }

    private void Product(ReadOnlySpan<double> a, int m, int k, ReadOnlySpan<double> b, int n, Span<double> c, int threads, bool transposedB)
    {
        switch (width)
        {
            case SimdWidth.Bits512: BlockedProduct.Multiply<Vector512Arithmetic, Vector512<double>>(a, m, k, b, n, c, threads, transposedB); break;
            case SimdWidth.Bits256: BlockedProduct.Multiply<Vector256Arithmetic, Vector256<double>>(a, m, k, b, n, c, threads, transposedB); break;
            case SimdWidth.Bits128: BlockedProduct.Multiply<Vector128Arithmetic, Vector128<double>>(a, m, k, b, n, c, threads, transposedB); break;
            default: BlockedProduct.Multiply<ScalarArithmetic, double>(a, m, k, b, n, c, threads, transposedB); break;
        }
    }

    public void QrFactor(Span<double> a, int m, int n, Span<double> r, Span<double> q, int threads)
    {
        KernelShapes.Qr(a.Length, m, n, r.Length, q.Length);
        if (Math.Min(m, n) == 0)
        {
            return;
        }

        switch (width)
        {
            case SimdWidth.Bits512: TallQr<Vector512Arithmetic, Vector512<double>>.Factor(a, m, n, r, q, threads, this); break;
            case SimdWidth.Bits256: TallQr<Vector256Arithmetic, Vector256<double>>.Factor(a, m, n, r, q, threads, this); break;
            case SimdWidth.Bits128: TallQr<Vector128Arithmetic, Vector128<double>>.Factor(a, m, n, r, q, threads, this); break;
            default: TallQr<ScalarArithmetic, double>.Factor(a, m, n, r, q, threads, this); break;
        }
    }

    public FactoredQr? QrFactorDeferred(ReadOnlySpan<double> source, Span<double> target, int m, int n, Span<double> r, int threads)
    {
        KernelShapes.DeferredQr(source.Length, target.Length, m, n, r.Length);
        return width switch
        {
            SimdWidth.Bits512 => TallQr<Vector512Arithmetic, Vector512<double>>.FactorDeferred(source, target, m, n, r, threads, this),
            SimdWidth.Bits256 => TallQr<Vector256Arithmetic, Vector256<double>>.FactorDeferred(source, target, m, n, r, threads, this),
            SimdWidth.Bits128 => TallQr<Vector128Arithmetic, Vector128<double>>.FactorDeferred(source, target, m, n, r, threads, this),
            _ => TallQr<ScalarArithmetic, double>.FactorDeferred(source, target, m, n, r, threads, this),
        };
    }

    public bool CholeskySolve(Span<double> a, int n, Span<double> b, int nrhs)
    {
        KernelShapes.Cholesky(a.Length, n, b.Length, nrhs);
        return CholeskySolver.Solve(a, n, b, nrhs);
    }

    public void SymmetricEigen(ReadOnlySpan<double> a, int n, Span<double> values, Span<double> vectors)
    {
        KernelShapes.Eigen(a.Length, n, values.Length, vectors.Length);
        if (n <= JacobiEigenSolver.MaxOrder)
        {
            JacobiEigenSolver.Solve(a, n, values, vectors);
        }
        else
        {
            TridiagonalEigenSolver.Solve(a, n, values, vectors);
        }
    }

    public void Svd(ReadOnlySpan<double> a, int m, int n, Span<double> s, Span<double> u, Span<double> vt)
    {
        KernelShapes.Svd(a.Length, m, n, s.Length, u.Length, vt.Length);
        JacobiSvd.Decompose(a, m, n, s, u, vt);
    }

    private void Gram(ReadOnlySpan<double> x, int rows, int n, ReadOnlySpan<double> shift, Span<double> sums, Span<double> c, int threads)
        => TallSkinnyGram.Add(width, x, rows, n, shift, sums, c, threads);

    private void Gram(ReadOnlySpan<float> x, int rows, int n, ReadOnlySpan<double> shift, Span<double> sums, Span<double> c, int threads)
        => TallSkinnyGram.Add(width, x, rows, n, shift, sums, c, threads);
}
