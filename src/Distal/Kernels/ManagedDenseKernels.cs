namespace Distal.Kernels;

/// <summary>The managed backend: always available, no native dependency.</summary>
internal sealed class ManagedDenseKernels : IDenseKernels
{
    public static ManagedDenseKernels Instance { get; } = new();

    public string Name => "managed";

    public void AddGram(ReadOnlySpan<double> x, int rows, int n, Span<double> c, int threads)
    {
        KernelShapes.Gram(x.Length, rows, n, c.Length);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<double> row = x.Slice(r * n, n);
            for (int i = 0; i < n; i++)
            {
                VectorOps.Axpy(row[i], row[i..], c.Slice((i * n) + i, n - i));
            }
        }

        MirrorUpper(c, n);
    }

    public void AddGram(ReadOnlySpan<float> x, int rows, int n, Span<double> c, int threads)
    {
        KernelShapes.Gram(x.Length, rows, n, c.Length);
        double[] row = new double[n];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < n; j++)
            {
                row[j] = x[(r * n) + j];
            }

            for (int i = 0; i < n; i++)
            {
                VectorOps.Axpy(row[i], row.AsSpan(i), c.Slice((i * n) + i, n - i));
            }
        }

        MirrorUpper(c, n);
    }

    public void MultiplyTransposed(ReadOnlySpan<double> a, int m, int k, ReadOnlySpan<double> b, int n, Span<double> c, int threads)
    {
        KernelShapes.Product(a.Length, m, k, b.Length, n, c.Length);
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<double> ai = a.Slice(i * k, k);
            for (int j = 0; j < n; j++)
            {
                c[(i * n) + j] = VectorOps.Dot(ai, b.Slice(j * k, k));
            }
        }
    }

    public void Multiply(ReadOnlySpan<double> a, int m, int k, ReadOnlySpan<double> b, int n, Span<double> c, int threads)
    {
        KernelShapes.Product(a.Length, m, k, b.Length, n, c.Length);
        c.Clear();
        for (int i = 0; i < m; i++)
        {
            Span<double> ci = c.Slice(i * n, n);
            for (int p = 0; p < k; p++)
            {
                VectorOps.Axpy(a[(i * k) + p], b.Slice(p * n, n), ci);
            }
        }
    }

    public void QrFactor(Span<double> a, int m, int n, Span<double> r, Span<double> q, int threads)
    {
        KernelShapes.Qr(a.Length, m, n, r.Length, q.Length);
        HouseholderQr.Factor(a, m, n, r, q);
    }

    public bool CholeskySolve(Span<double> a, int n, Span<double> b, int nrhs)
    {
        KernelShapes.Cholesky(a.Length, n, b.Length, nrhs);
        return CholeskySolver.Solve(a, n, b, nrhs);
    }

    public void SymmetricEigen(ReadOnlySpan<double> a, int n, Span<double> values, Span<double> vectors)
    {
        KernelShapes.Eigen(a.Length, n, values.Length, vectors.Length);
        JacobiEigenSolver.Solve(a, n, values, vectors);
    }

    public void Svd(ReadOnlySpan<double> a, int m, int n, Span<double> s, Span<double> u, Span<double> vt)
    {
        KernelShapes.Svd(a.Length, m, n, s.Length, u.Length, vt.Length);
        JacobiSvd.Decompose(a, m, n, s, u, vt);
    }

    /// <summary>Copies the strict upper triangle onto the lower one.</summary>
    internal static void MirrorUpper(Span<double> c, int n)
    {
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                c[(j * n) + i] = c[(i * n) + j];
            }
        }
    }
}
