using Distal.Communication;

namespace Distal.Algorithms;

/// <summary>
/// Thin QR decomposition X = Q·R (daal4py's <c>qr</c>) by TSQR: every rank factors its own rows, the R factors are
/// combined on a binomial tree of pairwise QRs, and each rank receives its block of the combining Q and forms its
/// own rows of Q. R (non-negative diagonal) is on every rank; Q stays distributed by rows. A rank may have fewer rows
/// than columns, or none. Streaming (<see cref="MergeableAlgorithm{TResult}.CreateOnline"/>) keeps only R, merged
/// R factor by R factor; Q for streamed rows comes from passing them again to <see cref="QrResult.FormQ"/>.
/// </summary>
/// <example>
/// <code>
/// using var spmd = Spmd.Init();
/// var result = new Qr { Distributed = true }.Compute($"qr_{spmd.Rank + 1}.csv");
/// // result.MatrixR on every rank; result.MatrixQ holds this rank's rows of Q
/// </code>
/// </example>
public sealed class Qr : MergeableAlgorithm<QrResult>, IMergeableAlgorithm<RFactorPartial, QrResult>
{
    string IMergeableAlgorithm<RFactorPartial, QrResult>.Name => Name;

    string? IMergeableAlgorithm<RFactorPartial, QrResult>.TargetName => null;

    internal override PartialEngine<QrResult> Engine => PartialEngine.Of(this);

    private protected override string Name => "qr";

    RFactorPartial IMergeableAlgorithm<RFactorPartial, QrResult>.CreatePartial(InputShape shape, ComputeContext context)
        => new(shape.DataColumns, centered: false);

    void IMergeableAlgorithm<RFactorPartial, QrResult>.Accumulate<T>(RFactorPartial partial, AlgorithmInput<T> rows, ComputeContext context)
        => partial.Accumulate(rows.DenseData(Name).Span);

    QrResult IMergeableAlgorithm<RFactorPartial, QrResult>.Finalize(RFactorPartial p, ComputeContext context)
    {
        if (p.Count == 0)
        {
            throw new DistalException(FailureKind.Input, "no rows: QR needs at least one");
        }

        return new QrResult(p.Count, new Table<double>(p.R.ToArray(), p.FactorRows, p.Columns), null);
    }

    internal override QrResult ComputeCore<T>(IRowTable<T> data, ComputeContext context)
    {
        var dense = context.Communicator.Collectively(() => new AlgorithmInput<T>(data).DenseData(Name));
        var factorization = TsqrFactorization.Factor(context.Communicator, dense, keepQ: true);
        int k = factorization.FactorRows;
        var r = factorization.BroadcastR();
        var q = factorization.FormQ(Identity(k));
        return new QrResult(factorization.TotalRows, new Table<double>(r, k, factorization.Columns), q);
    }

    private static double[] Identity(int k)
    {
        var identity = new double[k * k];
        for (int i = 0; i < k; i++)
        {
            identity[(i * k) + i] = 1;
        }

        return identity;
    }
}
