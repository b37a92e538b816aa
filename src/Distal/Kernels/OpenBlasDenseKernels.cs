using System.Runtime.InteropServices;

namespace Distal.Kernels;

/// <summary>
/// Kernels backed by the system's OpenBLAS/LAPACK. Row-major data is passed to the column-major routines as its
/// transpose, and each routine is chosen so that no copy is needed: a row-major m×n matrix is a column-major n×m
/// matrix, so QR of A is the LQ factorization of that (dgelqf/dorglq), and the SVD of A is the SVD of Aᵀ with the
/// roles of U and Vᵀ exchanged.
/// </summary>
internal sealed unsafe class OpenBlasDenseKernels : IDenseKernels
{
    /// <summary>Rows of float or shifted input copied per dsyrk call: 4 MiB of doubles.</summary>
    private const int FloatChunkElements = 1 << 19;

    /// <summary>
    /// The thread count of the small factorizations (Cholesky, eigen, SVD of p×p matrices). They run in the
    /// finalize step, which every rank repeats on the same merged partial, and OpenBLAS's results depend on its thread
    /// count; each rank's budget depends on how many ranks share its node, so a fixed count is what keeps the result
    /// bitwise identical on every rank.
    /// </summary>
    private const int FactorizationThreads = 1;

    private readonly OpenBlasLibrary blas;

    public OpenBlasDenseKernels(OpenBlasLibrary blas) => this.blas = blas;

    public string Name => "openblas";

    public void AddGram(ReadOnlySpan<double> x, int rows, int n, Span<double> c, int threads)
    {
        KernelShapes.Gram(x.Length, rows, n, c.Length);
        if (rows == 0 || n == 0)
        {
            return;
        }

        using var scope = blas.Threads(threads);
        double[] upper = new double[n * n];
        fixed (double* px = x)
        fixed (double* pu = upper)
        {
            blas.Dsyrk(OpenBlasLibrary.RowMajor, OpenBlasLibrary.Upper, OpenBlasLibrary.Trans, n, rows, 1.0, px, n, 0.0, pu, n);
        }

        AddUpperToBoth(upper, n, c);
    }

    public void AddGram(ReadOnlySpan<float> x, int rows, int n, Span<double> c, int threads)
    {
        KernelShapes.Gram(x.Length, rows, n, c.Length);
        CopiedGram(x, rows, n, [], [], c, threads);
    }

    public void AddShiftedGram(ReadOnlySpan<double> x, int rows, int n, ReadOnlySpan<double> shift, Span<double> sums, Span<double> c, int threads)
    {
        KernelShapes.ShiftedGram(x.Length, rows, n, shift.Length, sums.Length, c.Length);
        CopiedGram(x, rows, n, shift, sums, c, threads);
    }

    public void AddShiftedGram(ReadOnlySpan<float> x, int rows, int n, ReadOnlySpan<double> shift, Span<double> sums, Span<double> c, int threads)
    {
        KernelShapes.ShiftedGram(x.Length, rows, n, shift.Length, sums.Length, c.Length);
        CopiedGram(x, rows, n, shift, sums, c, threads);
    }

    /// <summary>
    /// dsyrk over chunks copied as doubles (dsyrk can neither widen nor shift), minus the shift when one is given,
    /// with the column sums of the copied rows when asked.
    /// </summary>
    private void CopiedGram<T>(ReadOnlySpan<T> x, int rows, int n, ReadOnlySpan<double> shift, Span<double> sums, Span<double> c, int threads)
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        if (rows == 0 || n == 0)
        {
            return;
        }

        using var scope = blas.Threads(threads);
        int chunkRows = Math.Max(1, FloatChunkElements / n);
        double[] copy = new double[Math.Min(rows, chunkRows) * n];
        double[] upper = new double[n * n];
        fixed (double* pw = copy)
        fixed (double* pu = upper)
        {
            for (int r0 = 0; r0 < rows; r0 += chunkRows)
            {
                int count = Math.Min(chunkRows, rows - r0);
                ReadOnlySpan<T> chunk = x.Slice(r0 * n, count * n);
                for (int i = 0; i < chunk.Length; i++)
                {
                    int j = i % n;
                    double v = double.CreateTruncating(chunk[i]) - (shift.IsEmpty ? 0.0 : shift[j]);
                    copy[i] = v;
                    if (!sums.IsEmpty)
                    {
                        sums[j] += v;
                    }
                }

                blas.Dsyrk(OpenBlasLibrary.RowMajor, OpenBlasLibrary.Upper, OpenBlasLibrary.Trans, n, count, 1.0, pw, n, 1.0, pu, n);
            }
        }

        AddUpperToBoth(upper, n, c);
    }

    public void MultiplyTransposed(ReadOnlySpan<double> a, int m, int k, ReadOnlySpan<double> b, int n, Span<double> c, int threads)
    {
        KernelShapes.Product(a.Length, m, k, b.Length, n, c.Length);
        Gemm(a, m, k, b, n, c, threads, OpenBlasLibrary.Trans, ldb: Math.Max(1, k));
    }

    public void Multiply(ReadOnlySpan<double> a, int m, int k, ReadOnlySpan<double> b, int n, Span<double> c, int threads)
    {
        KernelShapes.Product(a.Length, m, k, b.Length, n, c.Length);
        Gemm(a, m, k, b, n, c, threads, OpenBlasLibrary.NoTrans, ldb: Math.Max(1, n));
    }

    public void QrFactor(Span<double> a, int m, int n, Span<double> r, Span<double> q, int threads)
    {
        KernelShapes.Qr(a.Length, m, n, r.Length, q.Length);
        int kk = Math.Min(m, n);
        if (kk == 0)
        {
            return;
        }

        using var scope = blas.Threads(threads);

        // a (row-major m×n) is the column-major n×m matrix Aᵀ = L·Q', so A = Q'ᵀ·Lᵀ: R = Lᵀ, Q = Q'ᵀ, in place.
        int rowsL = n, colsL = m, lda = n;
        double[] tau = new double[kk];
        fixed (double* pa = a)
        fixed (double* ptau = tau)
        {
            int info;
            int lwork = -1;
            double query;
            blas.Dgelqf(&rowsL, &colsL, pa, &lda, ptau, &query, &lwork, &info);
            Check("dgelqf workspace query", info);
            lwork = Math.Max(1, (int)query);
            double[] work = new double[lwork];
            fixed (double* pw = work)
            {
                blas.Dgelqf(&rowsL, &colsL, pa, &lda, ptau, pw, &lwork, &info);
                Check("dgelqf", info);
            }

            r.Clear();
            for (int i = 0; i < kk; i++)
            {
                a.Slice((i * n) + i, n - i).CopyTo(r.Slice((i * n) + i, n - i));
            }

            if (!q.IsEmpty)
            {
                int rowsQ = kk, kref = kk;
                lwork = -1;
                blas.Dorglq(&rowsQ, &colsL, &kref, pa, &lda, ptau, &query, &lwork, &info);
                Check("dorglq workspace query", info);
                lwork = Math.Max(1, (int)query);
                work = new double[lwork];
                fixed (double* pw = work)
                {
                    blas.Dorglq(&rowsQ, &colsL, &kref, pa, &lda, ptau, pw, &lwork, &info);
                    Check("dorglq", info);
                }

                for (int row = 0; row < m; row++)
                {
                    a.Slice(row * n, kk).CopyTo(q.Slice(row * kk, kk));
                }
            }
        }

        HouseholderSigns.Fix(r, kk, n, q, m);
    }

    /// <summary>
    /// Null: LAPACK applies its reflectors (dormlq) to a separate matrix, so Q·B would need the reflectors copied out
    /// of the output first; the callers' QrFactor-then-multiply path does the same work.
    /// </summary>
    public FactoredQr? QrFactorDeferred(ReadOnlySpan<double> source, Span<double> target, int m, int n, Span<double> r, int threads)
    {
        KernelShapes.DeferredQr(source.Length, target.Length, m, n, r.Length);
        return null;
    }

    public bool CholeskySolve(Span<double> a, int n, Span<double> b, int nrhs)
    {
        KernelShapes.Cholesky(a.Length, n, b.Length, nrhs);
        if (n == 0)
        {
            return true;
        }

        using var scope = blas.Threads(FactorizationThreads);

        // Column-major 'U' of the (symmetric) buffer is its row-major lower triangle: there dpotrf leaves L.
        byte uplo = (byte)'U';
        int order = n, lda = n, info;
        fixed (double* pa = a)
        {
            blas.Dpotrf(&uplo, &order, pa, &lda, &info, 1);
            if (info > 0)
            {
                return false;
            }

            Check("dpotrf", info);

            // OpenBLAS's own dpotrf lets a NaN pivot through; reject it as LAPACK's reference dpotrf would.
            for (int j = 0; j < n; j++)
            {
                if (!(a[(j * n) + j] > 0) || !double.IsFinite(a[(j * n) + j]))
                {
                    return false;
                }
            }
            if (nrhs == 0)
            {
                return true;
            }

            // b is row-major n×nrhs; dpotrs wants it column-major.
            double[] columns = new double[n * nrhs];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < nrhs; j++)
                {
                    columns[(j * n) + i] = b[(i * nrhs) + j];
                }
            }

            int count = nrhs, ldb = n;
            fixed (double* pb = columns)
            {
                blas.Dpotrs(&uplo, &order, &count, pa, &lda, pb, &ldb, &info, 1);
                Check("dpotrs", info);
            }

            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < nrhs; j++)
                {
                    b[(i * nrhs) + j] = columns[(j * n) + i];
                }
            }
        }

        return true;
    }

    public void SymmetricEigen(ReadOnlySpan<double> a, int n, Span<double> values, Span<double> vectors)
    {
        KernelShapes.Eigen(a.Length, n, values.Length, vectors.Length);
        if (n == 0)
        {
            return;
        }

        using var scope = blas.Threads(FactorizationThreads);
        double[] w = a.ToArray();
        JacobiEigenSolver.Symmetrize(w, n);
        double[] ascending = new double[n];
        byte jobz = (byte)'V', uplo = (byte)'U';
        int order = n, lda = n, info, lwork = -1, liwork = -1, iquery;
        double query;
        fixed (double* pa = w)
        fixed (double* pv = ascending)
        {
            blas.Dsyevd(&jobz, &uplo, &order, pa, &lda, pv, &query, &lwork, &iquery, &liwork, &info, 1, 1);
            Check("dsyevd workspace query", info);
            lwork = Math.Max(1, (int)query);
            liwork = Math.Max(1, iquery);
            double[] work = new double[lwork];
            int[] iwork = new int[liwork];
            fixed (double* pw = work)
            fixed (int* piw = iwork)
            {
                blas.Dsyevd(&jobz, &uplo, &order, pa, &lda, pv, pw, &lwork, piw, &liwork, &info, 1, 1);
                Check("dsyevd", info);
            }
        }

        // Column i of the column-major result is row i of w; LAPACK sorts ascending.
        for (int i = 0; i < n; i++)
        {
            values[i] = ascending[n - 1 - i];
            w.AsSpan((n - 1 - i) * n, n).CopyTo(vectors.Slice(i * n, n));
        }
    }

    public void Svd(ReadOnlySpan<double> a, int m, int n, Span<double> s, Span<double> u, Span<double> vt)
    {
        KernelShapes.Svd(a.Length, m, n, s.Length, u.Length, vt.Length);
        int kk = Math.Min(m, n);
        if (kk == 0)
        {
            return;
        }

        // a is the column-major n×m matrix Aᵀ = U'·S·V'ᵀ, so A = V'·S·U'ᵀ. dgesdd's V'ᵀ (column-major kk×m) is
        // exactly row-major U (m×kk), and its U' (column-major n×kk) is exactly row-major Vᵀ (kk×n).
        using var scope = blas.Threads(FactorizationThreads);
        double[] w = a.ToArray();
        byte jobz = (byte)'S';
        int rows = n, cols = m, lda = n, ldu = n, ldvt = kk, info, lwork = -1;
        int[] iwork = new int[8 * kk];
        double query;
        fixed (double* pa = w)
        fixed (double* ps = s)
        fixed (double* pu = vt)
        fixed (double* pvt = u)
        fixed (int* piw = iwork)
        {
            blas.Dgesdd(&jobz, &rows, &cols, pa, &lda, ps, pu, &ldu, pvt, &ldvt, &query, &lwork, piw, &info, 1);
            Check("dgesdd workspace query", info);
            lwork = Math.Max(1, (int)query);
            double[] work = new double[lwork];
            fixed (double* pw = work)
            {
                blas.Dgesdd(&jobz, &rows, &cols, pa, &lda, ps, pu, &ldu, pvt, &ldvt, pw, &lwork, piw, &info, 1);
                Check("dgesdd", info);
            }
        }
    }

    private void Gemm(ReadOnlySpan<double> a, int m, int k, ReadOnlySpan<double> b, int n, Span<double> c, int threads, int transB, int ldb)
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            c.Clear();
            return;
        }

        using var scope = blas.Threads(threads);
        fixed (double* pa = a)
        fixed (double* pb = b)
        fixed (double* pc = c)
        {
            blas.Dgemm(OpenBlasLibrary.RowMajor, OpenBlasLibrary.NoTrans, transB, m, n, k, 1.0, pa, k, pb, ldb, 0.0, pc, n);
        }
    }

    private static void AddUpperToBoth(double[] upper, int n, Span<double> c)
    {
        for (int i = 0; i < n; i++)
        {
            c[(i * n) + i] += upper[(i * n) + i];
            for (int j = i + 1; j < n; j++)
            {
                double v = upper[(i * n) + j];
                c[(i * n) + j] += v;
                c[(j * n) + i] += v;
            }
        }
    }

    private static void Check(string routine, int info)
    {
        if (info < 0)
        {
            throw new InvalidOperationException($"OpenBLAS {routine} rejected argument {-info}.");
        }

        if (info > 0)
        {
            throw new ArithmeticException($"OpenBLAS {routine} did not converge (info = {info}).");
        }
    }
}
