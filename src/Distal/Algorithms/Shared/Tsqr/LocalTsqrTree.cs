using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using Distal.Kernels;

namespace Distal.Algorithms;

/// <summary>
/// TSQR inside one rank: the rows are cut into leaves (<see cref="TsqrLayout"/>), each leaf is factored (in parallel), and the
/// leaves' R factors are combined by a binary tree of "stack two R's and QR them". When Q is wanted every node keeps
/// the small Q it produced; <see cref="FormQ"/> then walks back down the tree with the block of the combining Q that
/// belongs to each subtree and forms each leaf's rows of Q·B from that block. A leaf of at least p rows keeps its
/// Householder reflectors (in its rows of the Q array) instead of its Q, so its rows are written once, as Qᵢ·Bᵢ,
/// rather than formed as Qᵢ and multiplied by Bᵢ in a second pass (2·m·p² flops and a pass over Q more).
/// </summary>
internal sealed class LocalTsqrTree
{
    private readonly int _columns;
    private readonly int _qColumns;
    private readonly int[] _leafStart;
    private readonly Node[] _leaves;
    private readonly double[]? _q;
    private readonly FactoredQr?[] _factored;
    private readonly int _threads;
    private bool _formed;

    private LocalTsqrTree(int columns, int qColumns, int[] leafStart, Node[] leaves, double[]? q, FactoredQr?[] factored, int threads)
    {
        _factored = factored;
        _columns = columns;
        _qColumns = qColumns;
        _leafStart = leafStart;
        _leaves = leaves;
        _q = q;
        _threads = threads;
        Root = Build(0, leaves.Length);
    }

    /// <summary>The root: R of all this rank's rows (min(rows, p) rows).</summary>
    public Node Root { get; }

    public int Rows => _leafStart[^1];

    /// <summary>
    /// Factors <paramref name="rows"/>. With <paramref name="qColumns"/> &gt; 0 the leaves keep their Q factors so
    /// that <see cref="FormQ"/> can produce this rank's rows of a Q with that many columns (the global min(N, p)).
    /// </summary>
    public static LocalTsqrTree Factor<T>(Table<T> rows, int qColumns, int threads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int p = rows.Columns;
        int n = rows.Rows;
        int leafCount = TsqrLayout.LeafCount(n, p, threads);
        var leafStart = new int[leafCount + 1];
        for (int c = 0; c <= leafCount; c++)
        {
            leafStart[c] = (int)((long)n * c / leafCount);
        }

        // Every element of Q is written: by the leaf QRs (reflectors or Q), then by FormQ.
        double[]? q = qColumns > 0 ? GC.AllocateUninitializedArray<double>(checked(n * qColumns)) : null;
        var leaves = new Node[leafCount];
        var factored = new FactoredQr?[leafCount];
        var kernels = DenseKernels.Current;
        int kernelThreads = Math.Max(1, threads / leafCount);
        Parallel.For(0, leafCount, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, c =>
        {
            int start = leafStart[c];
            int m = leafStart[c + 1] - start;
            int k = Math.Min(m, p);
            var r = new double[k * p];
            if (q is not null && m >= p)
            {
                // k = p = qColumns: the leaf's rows of Q hold its reflectors until FormQ knows the leaf's block.
                factored[c] = FactorDeferred(rows.Memory.Span.Slice(start * p, m * p), q.AsSpan(start * p, m * p), m, p, r, kernelThreads);
            }

            if (m > 0 && factored[c] is null)
            {
                double[] work = ArrayPool<double>.Shared.Rent(m * p);
                try
                {
                    var a = work.AsSpan(0, m * p);
                    var source = rows.Memory.Span.Slice(start * p, m * p);
                    if (typeof(T) == typeof(double))
                    {
                        // A block copy instead of the element loop the JIT does not vectorize.
                        MemoryMarshal.Cast<T, double>(source).CopyTo(a);
                    }
                    else
                    {
                        for (int i = 0; i < a.Length; i++)
                        {
                            a[i] = double.CreateTruncating(source[i]);
                        }
                    }

                    // The leaf's Q goes compactly (m×k) at the start of the leaf's rows of the final Q (m×qColumns, k ≤ qColumns).
                    var leafQ = q is null ? Span<double>.Empty : q.AsSpan(start * qColumns, m * k);
                    kernels.QrFactor(a, m, p, r, leafQ, kernelThreads);
                }
                finally
                {
                    ArrayPool<double>.Shared.Return(work);
                }
            }

            leaves[c] = new Node(k, r) { Leaf = c };
        });

        return new LocalTsqrTree(p, qColumns, leafStart, leaves, q, factored, threads);
    }

    private static FactoredQr? FactorDeferred<T>(ReadOnlySpan<T> source, Span<double> target, int m, int p, Span<double> r, int threads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            return DenseKernels.Current.QrFactorDeferred(MemoryMarshal.Cast<T, double>(source), target, m, p, r, threads);
        }

        for (int i = 0; i < target.Length; i++)
        {
            target[i] = double.CreateTruncating(source[i]);
        }

        return DenseKernels.Current.QrFactorDeferred(target, target, m, p, r, threads);
    }

    /// <summary>
    /// This rank's rows of Q·B where <paramref name="rootBlock"/> (Root.Rows × qColumns) is the block of the combining Q
    /// above this rank; with B the identity at the root of the whole tree this is the Q of the QR.
    /// </summary>
    public Table<double> FormQ(ReadOnlySpan<double> rootBlock)
    {
        if (_q is null)
        {
            throw new InvalidOperationException("The tree was factored without keeping Q.");
        }

        if (_formed)
        {
            throw new InvalidOperationException("Q was already formed: the leaves' reflectors were overwritten by it.");
        }

        _formed = true;
        int kq = _qColumns;
        var leafBlocks = new double[_leaves.Length][];
        Descend(Root, rootBlock.ToArray(), leafBlocks);
        int workers = Math.Max(1, Math.Min(_threads, _leaves.Length));
        int chunkThreads = Math.Max(1, _threads / _leaves.Length);
        Parallel.For(0, _leaves.Length, new ParallelOptions { MaxDegreeOfParallelism = workers }, c =>
        {
            int start = _leafStart[c];
            int m = _leafStart[c + 1] - start;
            if (_factored[c] is { } factored)
            {
                factored.FormProduct(_q.AsSpan(start * kq, m * kq), leafBlocks[c], chunkThreads);
            }
            else if (m > 0)
            {
                MultiplyLeaf(_q.AsSpan(start * kq, m * kq), m, _leaves[c].Rows, leafBlocks[c], chunkThreads);
            }
        });

        return new Table<double>(_q, Rows, kq);
    }

    /// <summary>
    /// Replaces the leaf's Q (m×k, stored compactly at the start of <paramref name="leafQ"/>) by Q·B (m×kq) in place.
    /// </summary>
    private void MultiplyLeaf(Span<double> leafQ, int m, int k, double[] block, int threads)
    {
        int kq = _qColumns;
        if (k == kq && IsIdentity(block, kq))
        {
            // One rank with one leaf (QR): Q·I is Q, and skipping the pass saves reading and writing all of Q.
            return;
        }

        var kernels = DenseKernels.Current;
        if (k < kq)
        {
            // Fewer rows than Q columns (m = k < kq): the compact and the final layouts overlap, so go through a copy.
            double[] product = new double[m * kq];
            kernels.Multiply(leafQ[..(m * k)], m, k, block, kq, product, threads: 1);
            product.CopyTo(leafQ);
            return;
        }

        // k = kq: row chunk by row chunk, each product through a cache-sized buffer and back into place.
        int chunkRows = TsqrLayout.ChunkRows(kq);
        int chunks = (m + chunkRows - 1) / chunkRows;
        unsafe
        {
            fixed (double* pointer = leafQ)
            {
                nint address = (nint)pointer;
                Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, () => ArrayPool<double>.Shared.Rent(chunkRows * kq), (i, _, buffer) =>
                {
                    int first = i * chunkRows;
                    int rows = Math.Min(chunkRows, m - first);
                    var chunk = new Span<double>((double*)address + ((long)first * kq), rows * kq);
                    var product = buffer.AsSpan(0, rows * kq);
                    kernels.Multiply(chunk, rows, kq, block, kq, product, threads: 1);
                    product.CopyTo(chunk);
                    return buffer;
                }, buffer => ArrayPool<double>.Shared.Return(buffer));
            }
        }
    }

    private static bool IsIdentity(ReadOnlySpan<double> block, int k)
    {
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
            {
                if (block[(i * k) + j] != (i == j ? 1.0 : 0.0))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Stacks two R factors (a on top) and factors the stack; keeps the stack's Q when <paramref name="keepQ"/>.</summary>
    public static Node Combine(int columns, ReadOnlySpan<double> a, int aRows, ReadOnlySpan<double> b, int bRows, bool keepQ)
    {
        int p = columns;
        int m = aRows + bRows;
        int k = Math.Min(m, p);
        var r = new double[k * p];
        double[]? q = keepQ ? new double[m * k] : null;
        if (m > 0)
        {
            var stack = new double[m * p];
            a[..(aRows * p)].CopyTo(stack);
            b[..(bRows * p)].CopyTo(stack.AsSpan(aRows * p));
            DenseKernels.Current.QrFactor(stack, m, p, r, q, threads: 1);
        }

        return new Node(k, r) { Q = q };
    }

    private Node Build(int lo, int hi)
    {
        if (hi - lo == 1)
        {
            return _leaves[lo];
        }

        int mid = (lo + hi) / 2;
        var left = Build(lo, mid);
        var right = Build(mid, hi);
        var combined = Combine(_columns, left.R, left.Rows, right.R, right.Rows, _q is not null);
        combined.Left = left;
        combined.Right = right;
        return combined;
    }

    private void Descend(Node node, double[] block, double[][] leafBlocks)
    {
        if (node.Leaf >= 0)
        {
            leafBlocks[node.Leaf] = block;
            return;
        }

        int kq = _qColumns;
        int m = node.Left!.Rows + node.Right!.Rows;
        var product = new double[m * kq];
        if (m > 0)
        {
            DenseKernels.Current.Multiply(node.Q, m, node.Rows, block, kq, product, threads: 1);
        }

        int split = node.Left.Rows * kq;
        Descend(node.Left, product[..split], leafBlocks);
        Descend(node.Right, product[split..], leafBlocks);
    }

    /// <summary>
    /// A node of a TSQR tree: its R (Rows×p), and for a combining node the Q of its stacked children's R factors
    /// ((upper + lower rows)×Rows) when Q is kept; a leaf knows its index.
    /// </summary>
    internal sealed class Node(int rows, double[] r)
    {
        public int Rows { get; } = rows;

        public double[] R { get; } = r;

        public double[]? Q { get; init; }

        public int Leaf { get; init; } = -1;

        public Node? Left { get; set; }

        public Node? Right { get; set; }
    }
}
