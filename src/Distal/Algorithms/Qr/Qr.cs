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
public sealed class Qr : MergeableAlgorithm<QrResult>
{
    internal override PartialResult CreatePartial(int columns) => new RFactorPartial(columns, centered: false);

    internal override PartialResult DecodePartial(ReadOnlySpan<byte> bytes) => RFactorPartial.Decode(bytes);

    internal override void Accumulate<T>(PartialResult partial, ReadOnlySpan<T> rows)
        => ((RFactorPartial)partial).Accumulate(rows);

    internal override QrResult Finalize(PartialResult partial)
    {
        var p = (RFactorPartial)partial;
        if (p.Count == 0)
        {
            throw new DistalException(FailureKind.Input, "no rows: QR needs at least one");
        }

        return new QrResult(p.Count, new Table<double>(p.R.ToArray(), p.FactorRows, p.Columns), null);
    }

    internal override QrResult ComputeCore<T>(Table<T> data, Communicator communicator)
    {
        var factorization = TsqrFactorization.Factor(communicator, data, keepQ: true);
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
