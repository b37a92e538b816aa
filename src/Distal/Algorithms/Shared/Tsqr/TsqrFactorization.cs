using System.Numerics;
using Distal.Communication;
using Distal.Kernels;

namespace Distal.Algorithms;

/// <summary>
/// The distributed TSQR protocol shared by QR, SVD and (without Q) SVD-method PCA.
/// <para>Up-sweep (<see cref="Factor"/>): every rank factors its rows (<see cref="LocalTsqrTree"/>), then the R
/// factors meet on a binomial tree: in round s a rank r with r mod 2s = s sends its R to r − s and stops; the
/// receiver stacks its R over the partner's, factors the stack and, when Q is wanted, keeps that small Q. Every rank
/// sends at most one R and receives at most ⌈log₂ P⌉, so memory stays O(p² log P) per rank and the root (rank 0)
/// ends with the R of all rows.</para>
/// <para>Down-sweep (<see cref="FormQ"/>): rank 0 starts from a K×K matrix B (the identity for QR, U_r of the small
/// SVD for SVD); a node multiplies its kept Q by its B and hands the lower rows of the product to the partner it
/// received from, keeping the upper rows; each rank finally forms its rows of Q·B from its local tree.</para>
/// <para>R has a non-negative diagonal (the kernels' sign rule), so it is unique for full-rank data.</para>
/// </summary>
internal sealed class TsqrFactorization
{
    private const int UpTag = 0x7A51;
    private const int DownTag = 0x7A52;

    private readonly Communicator _communicator;
    private readonly LocalTsqrTree _local;
    private readonly List<Level> _levels;
    private readonly int _parent;

    private TsqrFactorization(Communicator communicator, LocalTsqrTree local, List<Level> levels, int parent, long totalRows, int columns, double[]? rootR)
    {
        _communicator = communicator;
        _local = local;
        _levels = levels;
        _parent = parent;
        TotalRows = totalRows;
        Columns = columns;
        RootR = rootR;
    }

    /// <summary>Rows over all ranks.</summary>
    public long TotalRows { get; }

    public int Columns { get; }

    /// <summary>K = min(N, p): rows of R and columns of Q.</summary>
    public int FactorRows => (int)Math.Min(TotalRows, Columns);

    /// <summary>R of all rows (K×p) on rank 0; null on the other ranks.</summary>
    public double[]? RootR { get; }

    /// <summary>Collective up-sweep. With <paramref name="keepQ"/> the small Q factors are kept for <see cref="FormQ"/>.</summary>
    public static TsqrFactorization Factor<T>(Communicator communicator, Table<T> rows, bool keepQ)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int p = rows.Columns;
        if (communicator.Size > 1)
        {
            PartialReduction.CheckColumnsAgree(communicator, p);
        }

        long total = communicator.Allreduce((long)rows.Rows, ReduceOperation.Sum);
        if (total == 0 || p == 0)
        {
            throw new DistalException(FailureKind.Input, total == 0 ? "no rows on any rank" : "the rows have no columns");
        }

        int qColumns = keepQ ? (int)Math.Min(total, p) : 0;
        int threads = ThreadBudget.For(communicator);
        var local = communicator.Collectively(() =>
        {
            var tree = LocalTsqrTree.Factor(rows, qColumns, threads);
            NonFiniteInput.ThrowIfAny(tree.Root.R);
            return tree;
        });

        int rank = communicator.Rank;
        int size = communicator.Size;
        var levels = new List<Level>();
        double[] r = local.Root.R;
        int k = local.Root.Rows;
        int parent = -1;
        for (int step = 1; step < size; step *= 2)
        {
            double[]? partnerR = null;
            if (parent < 0 && rank % (2 * step) == step)
            {
                communicator.Send<double>(r, rank - step, UpTag);
                parent = rank - step;
            }
            else if (parent < 0 && rank + step < size)
            {
                partnerR = communicator.Receive<double>(rank + step, UpTag);
            }

            // Every rank agrees on each round's combination (one small allreduce), so a rank failing there is one
            // error everywhere rather than a partner waiting in the next round.
            int step1 = step;
            communicator.Collectively(() =>
            {
                if (partnerR is not null)
                {
                    int partnerRows = partnerR.Length / p;
                    var node = LocalTsqrTree.Combine(p, r, k, partnerR, partnerRows, keepQ);
                    levels.Add(new Level(rank + step1, k, partnerRows, node));
                    r = node.R;
                    k = node.Rows;
                }
            });
        }

        return new TsqrFactorization(communicator, local, levels, parent, total, p, rank == 0 ? r : null);
    }

    /// <summary>R of all rows on every rank, bitwise identical (rank 0's, broadcast).</summary>
    public double[] BroadcastR()
    {
        var r = RootR ?? new double[FactorRows * Columns];
        _communicator.Broadcast<double>(r, 0);
        return r;
    }

    /// <summary>
    /// Collective down-sweep: this rank's rows of Q·B, n_local × K, where <paramref name="rootBlock"/> (K×K, read on
    /// rank 0 only) is B.
    /// </summary>
    public Table<double> FormQ(ReadOnlySpan<double> rootBlock)
    {
        int kq = FactorRows;
        int rank = _communicator.Rank;
        int size = _communicator.Size;
        double[]? block = rank == 0 ? rootBlock[..(kq * kq)].ToArray() : null;
        int highest = 1;
        while (highest * 2 < size)
        {
            highest *= 2;
        }

        // Rounds from the widest step down, as the up-sweep's in reverse: a rank first receives its block from its
        // parent, then serves its own levels (partners at smaller steps). Each round's product is agreed first.
        for (int step = size > 1 ? highest : 0; step >= 1; step /= 2)
        {
            Level? level = _levels.Find(l => l.Partner == rank + step);
            double[]? lower = null;
            _communicator.Collectively(() =>
            {
                if (level is null)
                {
                    return;
                }

                var node = level.Node;
                int m = level.UpperRows + level.LowerRows;
                var product = new double[m * kq];
                if (m > 0 && node.Rows > 0)
                {
                    DenseKernels.Current.Multiply(node.Q, m, node.Rows, block!, kq, product, threads: 1);
                }

                lower = product[(level.UpperRows * kq)..];
                block = product[..(level.UpperRows * kq)];
            });

            if (lower is not null)
            {
                _communicator.Send<double>(lower, level!.Partner, DownTag);
            }
            else if (_parent >= 0 && rank - step == _parent)
            {
                block = _communicator.Receive<double>(_parent, DownTag);
            }
        }

        return _communicator.Collectively(() => _local.FormQ(block!));
    }

    /// <summary>One combination on the rank tree: the partner it received from, the rows of both R factors, the node.</summary>
    private sealed record Level(int Partner, int UpperRows, int LowerRows, LocalTsqrTree.Node Node);
}
