using System.Buffers;
using System.Runtime.CompilerServices;

namespace Distal.Kernels;

/// <summary>
/// TSQR for tall blocks: the rows are cut into cache-sized blocks that are factored independently (in parallel),
/// their R factors are stacked and factored again (recursively), and Q is formed block by block as
/// Qᵢ·[Cᵢ; 0], where Cᵢ is block i's share of the stacked factor's Q. Each Qᵢ = I − V·T·Vᵀ is applied in compact WY
/// form (LAPACK's dlarft), which turns Q's formation into one GEMM per block. Every step is a Householder
/// transformation, so Q is orthonormal to working precision (unlike Cholesky-QR or Gram–Schmidt).
/// <see cref="FactorDeferred"/> stops before Q: TSQR over many leaves multiplies each leaf's Q by a block B that is
/// known only once every leaf is factored, and forming Q·B directly as Qᵢ·[(C·B)ᵢ; 0] costs what forming Q alone
/// does, where forming Q and then multiplying costs 2·m·n² more flops and another pass over Q.
/// </summary>
internal static class TallQr<TOps, TV>
    where TOps : struct, IVectorArithmetic<TV>
    where TV : struct
{
    /// <summary>Bytes of one row block: it and its Q block stay in a 1 MiB L2 while they are worked on.</summary>
    private const int BlockBytes = 192 * 1024;

    public static void Factor(Span<double> a, int m, int n, Span<double> r, Span<double> q, int threads, ManagedDenseKernels kernels)
    {
        int blockRows = Math.Max(2 * n, BlockBytes / (n * sizeof(double)));
        if (m < 2 * blockRows)
        {
            HouseholderQr<TOps, TV>.Factor(a, m, n, r, q);
            return;
        }

        int blocks = m / blockRows;                 // the last block also takes the remainder (< blockRows rows)
        double[] stacked = new double[blocks * n * n];
        double[] taus = new double[blocks * n];
        FactorBlocks(a, a, m, n, blockRows, blocks, taus, stacked, threads);
        unsafe
        {
            fixed (double* pa = a)
            fixed (double* pq = q)
            {
                nint aAddress = (nint)pa;
                nint qAddress = (nint)pq;
                bool formQ = !q.IsEmpty;
                double[] q2 = formQ ? new double[blocks * n * n] : [];
                Factor(stacked, blocks * n, n, r, q2, threads, kernels);
                if (!formQ)
                {
                    return;
                }

                ForEachBlock(blocks, threads, 4 * n * n, (i, small) =>
                {
                    (int first, int rows) = BlockRange(i, blocks, blockRows, m);
                    var block = new Span<double>((double*)aAddress + ((long)first * n), rows * n);
                    var qBlock = new Span<double>((double*)qAddress + ((long)first * n), rows * n);
                    ApplyBlockQ(block, rows, n, taus.AsSpan(i * n, n), q2.AsSpan(i * n * n, n * n), qBlock, small, kernels);
                });
            }
        }
    }

    /// <summary>
    /// Factors source (m×n, m ≥ n) without forming Q: r (n×n) as <see cref="Factor"/> gives it; target (m×n, may be
    /// source) receives the blocks' reflectors, which the result turns into Q·B later.
    /// </summary>
    public static FactoredQr FactorDeferred(ReadOnlySpan<double> source, Span<double> target, int m, int n, Span<double> r, int threads, ManagedDenseKernels kernels)
    {
        // One block below two block heights, as Factor's unblocked case; its "stacked Q" is then the sign matrix D of
        // the sign fix (Q = Q₁·D), so both cases form Q·B the same way.
        int blockRows = Math.Max(2 * n, BlockBytes / (n * sizeof(double)));
        int blocks = m < 2 * blockRows ? 1 : m / blockRows;
        double[] stacked = new double[blocks * n * n];
        double[] taus = new double[blocks * n];
        FactorBlocks(source, target, m, n, blockRows, blocks, taus, stacked, threads);
        double[] combining = new double[blocks * n * n];
        if (blocks == 1)
        {
            stacked.CopyTo(r);
            for (int i = 0; i < n; i++)
            {
                combining[(i * n) + i] = r[(i * n) + i] < 0 ? -1.0 : 1.0;
            }

            HouseholderSigns.Fix(r, n, n, Span<double>.Empty, m);
        }
        else
        {
            Factor(stacked, blocks * n, n, r, combining, threads, kernels);
        }

        return new Deferred(m, n, blockRows, blocks, taus, combining, kernels);
    }

    /// <summary>Factors every row block of source into target (may be source): τ per block, each block's R stacked.</summary>
    private static void FactorBlocks(ReadOnlySpan<double> source, Span<double> target, int m, int n, int blockRows, int blocks, double[] taus, double[] stacked, int threads)
    {
        unsafe
        {
            fixed (double* ps = source)
            fixed (double* pt = target)
            {
                nint sourceAddress = (nint)ps;
                nint targetAddress = (nint)pt;
                ForEachBlock(blocks, threads, 2 * blockRows * n, (i, scratch) =>
                {
                    (int first, int rows) = BlockRange(i, blocks, blockRows, m);
                    var from = new ReadOnlySpan<double>((double*)sourceAddress + ((long)first * n), rows * n);
                    var block = new Span<double>((double*)targetAddress + ((long)first * n), rows * n);
                    ColumnHouseholder<TOps, TV>.Factor(from, block, rows, n, taus.AsSpan(i * n, n), scratch.AsSpan(0, rows * n));
                    HouseholderSigns.ExtractR(block, n, n, stacked.AsSpan(i * n * n, n * n));
                });
            }
        }
    }

    private static (int First, int Rows) BlockRange(int i, int blocks, int blockRows, int m)
    {
        int first = i * blockRows;
        return (first, i == blocks - 1 ? m - first : blockRows);
    }

    /// <summary>Runs body over the blocks on up to `threads` threads, each with its own reused scratch array.</summary>
    private static void ForEachBlock(int blocks, int threads, int scratchLength, Action<int, double[]> body)
    {
        // Pooled: a leaf of TSQR calls this several times, and a fresh scratch of a few hundred KB each time was a
        // large-object allocation whose pages the kernel had to zero on first touch.
        if (threads <= 1)
        {
            double[] scratch = ArrayPool<double>.Shared.Rent(scratchLength);
            try
            {
                for (int i = 0; i < blocks; i++)
                {
                    body(i, scratch);
                }
            }
            finally
            {
                ArrayPool<double>.Shared.Return(scratch);
            }
        }
        else
        {
            Parallel.For(
                0,
                blocks,
                new ParallelOptions { MaxDegreeOfParallelism = threads },
                () => ArrayPool<double>.Shared.Rent(scratchLength),
                (i, _, scratch) =>
                {
                    body(i, scratch);
                    return scratch;
                },
                scratch => ArrayPool<double>.Shared.Return(scratch));
        }
    }

    /// <summary>
    /// qBlock = Qᵢ·[C; 0] for the reflectors stored in block (rows×n, destroyed) with factors tau:
    /// with Qᵢ = I − V·T·Vᵀ and V's top n×n part V₁ unit lower triangular, Qᵢ·[C; 0] = [C; 0] − V·(T·(V₁ᵀ·C)).
    /// small is scratch of 4·n² doubles.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ApplyBlockQ(Span<double> block, int rows, int n, ReadOnlySpan<double> tau, ReadOnlySpan<double> c, Span<double> qBlock, Span<double> small, ManagedDenseKernels kernels)
    {
        // Make V explicit in place: unit diagonal, zeros above it (R is no longer needed).
        for (int i = 0; i < n; i++)
        {
            block[(i * n) + i] = 1.0;
            block.Slice((i * n) + i + 1, n - i - 1).Clear();
        }

        // T (upper triangular) from G = VᵀV: T[j,j] = τⱼ, T[0:j, j] = −τⱼ·T[0:j, 0:j]·G[0:j, j].
        Span<double> g = small[..(n * n)];
        Span<double> t = small.Slice(n * n, n * n);
        Span<double> y = small.Slice(2 * n * n, n * n);
        Span<double> w = small.Slice(3 * n * n, n * n);
        small[..(4 * n * n)].Clear();
        kernels.AddGram(block, rows, n, g, 1);
        for (int j = 0; j < n; j++)
        {
            t[(j * n) + j] = tau[j];
            for (int i = 0; i < j; i++)
            {
                double s = 0;
                for (int l = i; l < j; l++)
                {
                    s += t[(i * n) + l] * g[(l * n) + j];
                }

                t[(i * n) + j] = -tau[j] * s;
            }
        }

        // Y = V₁ᵀ·C, then W = −T·Y, a row of length n at a time.
        for (int l = 0; l < n; l++)
        {
            for (int i = 0; i <= l; i++)
            {
                ColumnHouseholder<TOps, TV>.Axpy(block[(l * n) + i], c.Slice(l * n, n), y.Slice(i * n, n));
            }
        }

        for (int i = 0; i < n; i++)
        {
            for (int l = i; l < n; l++)
            {
                ColumnHouseholder<TOps, TV>.Axpy(-t[(i * n) + l], y.Slice(l * n, n), w.Slice(i * n, n));
            }
        }

        kernels.Multiply(block, rows, n, w, n, qBlock, 1);
        for (int i = 0; i < n * n; i++)
        {
            qBlock[i] += c[i];
        }
    }

    /// <summary>The factored form <see cref="FactorDeferred"/> leaves: the blocks' τ and the stacked factor's Q (C).</summary>
    private sealed class Deferred(int m, int n, int blockRows, int blocks, double[] taus, double[] combining, ManagedDenseKernels kernels) : FactoredQr
    {
        public override void FormProduct(Span<double> a, ReadOnlySpan<double> b, int threads)
        {
            KernelShapes.FactoredProduct(a.Length, m, n, b.Length);

            // Q·B = diag(Qᵢ)·(C·B): the small product first, then each block's reflectors applied to its n rows of it.
            double[] cb = new double[blocks * n * n];
            kernels.Multiply(combining, blocks * n, n, b, n, cb, 1);
            unsafe
            {
                fixed (double* pa = a)
                {
                    nint address = (nint)pa;
                    ForEachBlock(blocks, threads, (2 * blockRows * n) + (4 * n * n), (i, scratch) =>
                    {
                        (int first, int rows) = BlockRange(i, blocks, blockRows, m);
                        var block = new Span<double>((double*)address + ((long)first * n), rows * n);

                        // The reflectors move to cache-resident scratch, so the product can overwrite them in place.
                        var reflectors = scratch.AsSpan(0, rows * n);
                        block.CopyTo(reflectors);
                        ApplyBlockQ(reflectors, rows, n, taus.AsSpan(i * n, n), cb.AsSpan(i * n * n, n * n), block, scratch.AsSpan(2 * blockRows * n), kernels);
                    });
                }
            }
        }
    }
}
