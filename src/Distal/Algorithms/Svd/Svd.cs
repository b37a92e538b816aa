using Distal.Communication;
using Distal.Kernels;

namespace Distal.Algorithms;

/// <summary>
/// Thin singular value decomposition X = U·diag(s)·Vᵀ (daal4py's <c>svd</c>) on top of TSQR: X = Q·R, then the small
/// SVD R = U_r·diag(s)·Vᵀ on rank 0, and U = Q·U_r formed by handing U_r down the TSQR tree (so Q itself is never
/// stored). s and Vᵀ are on every rank; U stays distributed by rows. Every combination of
/// <see cref="LeftSingularMatrix"/> and <see cref="RightSingularMatrix"/> works in every mode; without U the
/// computation is a plain reduction of R factors. Streaming keeps only R (U by passing the rows again to
/// <see cref="SvdResult.FormLeftSingularMatrix"/>).
/// </summary>
public sealed class Svd : MergeableAlgorithm<SvdResult>, IMergeableAlgorithm<RFactorPartial, SvdResult>
{
    /// <summary>Whether U is computed (daal4py's <c>leftSingularMatrix</c>); default: required.</summary>
    public SingularMatrixOutput LeftSingularMatrix { get; set; } = SingularMatrixOutput.RequiredInPackedForm;

    /// <summary>Whether Vᵀ is returned (daal4py's <c>rightSingularMatrix</c>); default: required.</summary>
    public SingularMatrixOutput RightSingularMatrix { get; set; } = SingularMatrixOutput.RequiredInPackedForm;

    string IMergeableAlgorithm<RFactorPartial, SvdResult>.Name => Name;

    string? IMergeableAlgorithm<RFactorPartial, SvdResult>.TargetName => null;

    internal override PartialEngine<SvdResult> Engine => PartialEngine.Of(this);

    private protected override string Name => "svd";

    RFactorPartial IMergeableAlgorithm<RFactorPartial, SvdResult>.CreatePartial(InputShape shape, ComputeContext context)
        => new(shape.DataColumns, centered: false);

    void IMergeableAlgorithm<RFactorPartial, SvdResult>.Accumulate<T>(RFactorPartial partial, AlgorithmInput<T> rows, ComputeContext context)
        => partial.Accumulate(rows.DenseData(Name).Span);

    SvdResult IMergeableAlgorithm<RFactorPartial, SvdResult>.Finalize(RFactorPartial p, ComputeContext context)
    {
        if (p.Count == 0)
        {
            throw new DistalException(FailureKind.Input, "no rows: SVD needs at least one");
        }

        var (s, _, vt) = SmallSvd(context.Kernels, p.R, p.FactorRows, p.Columns);
        return new SvdResult(p.Count, s, vt, p.Columns, RightSingularMatrix == SingularMatrixOutput.RequiredInPackedForm, null);
    }

    internal override SvdResult ComputeCore<T>(IRowTable<T> data, ComputeContext context)
    {
        if (LeftSingularMatrix == SingularMatrixOutput.NotRequired)
        {
            return base.ComputeCore(data, context);
        }

        var communicator = context.Communicator;
        var dense = communicator.Collectively(() => new AlgorithmInput<T>(data).DenseData(Name));
        var factorization = TsqrFactorization.Factor(communicator, dense, keepQ: true);
        int k = factorization.FactorRows;
        int p = factorization.Columns;

        // Rank 0 alone decomposes R and broadcasts s and Vᵀ, so they are bitwise identical everywhere.
        double[] packed = new double[k + (k * p)];
        double[]? u = null;
        communicator.Collectively(() =>
        {
            if (communicator.Rank == 0)
            {
                (double[] s, u, double[] vt) = SmallSvd(context.Kernels, factorization.RootR!, k, p);
                s.CopyTo(packed, 0);
                vt.CopyTo(packed, k);
            }
        });

        communicator.Broadcast<double>(packed, 0);
        var left = factorization.FormQ(u);
        return new SvdResult(factorization.TotalRows, packed[..k], packed[k..], p, RightSingularMatrix == SingularMatrixOutput.RequiredInPackedForm, left);
    }

    /// <summary>SVD of the k×p factor R: s (k), U_r (k×k), Vᵀ (k×p).</summary>
    private static (double[] S, double[] U, double[] Vt) SmallSvd(IDenseKernels kernels, ReadOnlySpan<double> r, int k, int p)
    {
        var s = new double[k];
        var u = new double[k * k];
        var vt = new double[k * p];
        if (k > 0)
        {
            kernels.Svd(r[..(k * p)], k, p, s, u, vt);
        }

        return (s, u, vt);
    }
}
