using Distal.Communication;
using Distal.Kernels;

namespace Distal.Algorithms;

/// <summary>
/// Principal component analysis (daal4py's <c>pca</c>). Every parameter is honoured in every mode (batch, streaming,
/// distributed, streaming + distributed), unlike daal4py's distributed PCA.
/// <para><see cref="PcaMethod.CorrelationDense"/> merges count/mean/centered cross-product partials (those of
/// <see cref="Covariance"/>) and eigendecomposes the correlation matrix (covariance without
/// <see cref="DoScale"/>). <see cref="PcaMethod.SvdDense"/> merges R factors of the centered rows — the TSQR analogue of
/// the pairwise mean update — and takes the SVD of R scaled by the global standard deviations: the SVD of the data
/// standardized with the <em>global</em> means and variances (daal4py standardizes each rank with its own, which gives
/// NaN on small partitions), in a single pass. Eigenvalues are s²/(n − 1), the same as the correlation method's.</para>
/// </summary>
public sealed class Pca : MergeableAlgorithm<PcaResult>, IMergeableAlgorithm<PcaPartial, PcaResult>
{
    private int _nComponents;

    /// <summary>The method (daal4py's <c>method</c>); default <see cref="PcaMethod.CorrelationDense"/>.</summary>
    public PcaMethod Method { get; set; } = PcaMethod.CorrelationDense;

    /// <summary>Number of components returned (daal4py's <c>nComponents</c>); 0 (the default) means all p.</summary>
    public int NComponents
    {
        get => _nComponents;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _nComponents = value;
        }
    }

    /// <summary>Results besides eigenvalues and eigenvectors (daal4py's <c>resultsToCompute</c>); default means and variances.</summary>
    public PcaResultsToCompute ResultsToCompute { get; set; } = PcaResultsToCompute.Mean | PcaResultsToCompute.Variance;

    /// <summary>
    /// Fix the eigenvector signs (daal4py's <c>isDeterministic</c>): the largest-magnitude component of each
    /// eigenvector is made positive, oneDAL's rule. Without it the signs are whatever the eigen solver gives.
    /// </summary>
    public bool IsDeterministic { get; set; }

    /// <summary>Scale the centered data to unit variance, i.e. PCA of the correlation matrix (daal4py's <c>doScale</c>); default true.</summary>
    public bool DoScale { get; set; } = true;

    /// <summary>
    /// The input is a precomputed p×p correlation (or covariance) matrix, not data (daal4py's <c>isCorrelation</c>);
    /// correlation method only, not streaming. In distributed mode rank 0's matrix is used. Means are then zeros and
    /// variances ones, as in oneDAL.
    /// </summary>
    public bool IsCorrelation { get; set; }

    string IMergeableAlgorithm<PcaPartial, PcaResult>.Name => Name;

    string? IMergeableAlgorithm<PcaPartial, PcaResult>.TargetName => null;

    internal override PartialEngine<PcaResult> Engine => PartialEngine.Of(this);

    private protected override string Name => "pca";

    PcaPartial IMergeableAlgorithm<PcaPartial, PcaResult>.CreatePartial(InputShape shape, ComputeContext context)
    {
        if (IsCorrelation)
        {
            throw new DistalException(FailureKind.Usage, "isCorrelation takes a precomputed matrix: it cannot be streamed");
        }

        return Method == PcaMethod.SvdDense
            ? new PcaPartial(new RFactorPartial(shape.DataColumns, centered: true))
            : new PcaPartial(new CrossProductPartial(shape.DataColumns, assumeCentered: false));
    }

    void IMergeableAlgorithm<PcaPartial, PcaResult>.Accumulate<T>(PcaPartial partial, AlgorithmInput<T> rows, ComputeContext context)
    {
        var data = rows.DenseData(Name).Span;
        if (partial.RFactor is { } r)
        {
            r.Accumulate<T>(data);
        }
        else
        {
            var crossProducts = partial.CrossProducts!;
            crossProducts.Accumulate<T>(data);
            ResultOverflow.ThrowIfAny(Name, "mean", crossProducts.Mean);
            ResultOverflow.ThrowIfAny(Name, "cross-product", crossProducts.CrossProduct, crossProducts.Columns);
        }
    }

    PcaResult IMergeableAlgorithm<PcaPartial, PcaResult>.Finalize(PcaPartial partial, ComputeContext context)
    {
        long count = partial.Count;
        if (count < 2)
        {
            throw new DistalException(FailureKind.Input, $"{count} row(s): PCA needs at least 2");
        }

        int components = ComponentCount(partial.Columns);
        return partial.RFactor is { } factor ? FromRFactor(factor, components, context) : FromCrossProducts(partial.CrossProducts!, components, context);
    }

    internal override PcaResult ComputeCore<T>(IRowTable<T> data, ComputeContext context)
        => IsCorrelation
            ? FromPrecomputed(context.Communicator.Collectively(() => new AlgorithmInput<T>(data).DenseData(Name).ToDouble()), context)
            : base.ComputeCore(data, context);

    private int ComponentCount(int columns)
    {
        if (_nComponents > columns)
        {
            throw new DistalException(FailureKind.Usage, $"nComponents is {_nComponents} but the data have {columns} columns");
        }

        return _nComponents == 0 ? columns : _nComponents;
    }

    private PcaResult FromCrossProducts(CrossProductPartial partial, int components, ComputeContext context)
    {
        int p = partial.Columns;
        var covariance = partial.CovarianceMatrix(bias: false);
        var variances = new double[p];
        for (int j = 0; j < p; j++)
        {
            variances[j] = covariance[j, j];
        }

        var matrix = DoScale ? CrossProductPartial.ToCorrelation(covariance) : covariance;
        var values = new double[p];
        var vectors = new double[p * p];
        context.Kernels.SymmetricEigen(matrix.Span, p, values, vectors);
        return Assemble(partial.Count, values, vectors, p, components, partial.Mean, variances);
    }

    private PcaResult FromRFactor(RFactorPartial partial, int components, ComputeContext context)
    {
        int p = partial.Columns;
        double[] r = partial.SquareR();
        double divisor = partial.Count - 1;

        // Column j of R has the norm of column j of the centered data, so the variances come from R itself.
        var variances = new double[p];
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                variances[j] += r[(i * p) + j] * r[(i * p) + j];
            }
        }

        for (int j = 0; j < p; j++)
        {
            variances[j] /= divisor;
        }

        if (DoScale)
        {
            for (int i = 0; i < p; i++)
            {
                for (int j = 0; j < p; j++)
                {
                    r[(i * p) + j] = variances[j] > 0 ? r[(i * p) + j] / Math.Sqrt(variances[j]) : 0;
                }
            }
        }

        var singularValues = new double[p];
        var vectors = new double[p * p];
        context.Kernels.Svd(r, p, p, singularValues, new double[p * p], vectors);
        var values = new double[p];
        for (int i = 0; i < p; i++)
        {
            values[i] = singularValues[i] * singularValues[i] / divisor;
        }

        return Assemble(partial.Count, values, vectors, p, components, partial.Mean, variances);
    }

    private PcaResult FromPrecomputed(Table<double> matrix, ComputeContext context)
    {
        var communicator = context.Communicator;
        if (Method != PcaMethod.CorrelationDense)
        {
            throw new DistalException(FailureKind.Usage, "isCorrelation needs the correlationDense method");
        }

        // Rank 0's matrix, with its shape, is what every rank decomposes.
        double[]? message = communicator.Rank == 0 ? [matrix.Rows, matrix.Columns, .. matrix.Span] : null;
        double[] received = communicator.Size > 1 ? communicator.BroadcastVariable(message, 0) : message!;
        return communicator.Collectively(() =>
        {
            int rows = (int)received[0];
            int p = (int)received[1];
            if (rows != p || p == 0)
            {
                throw new DistalException(FailureKind.Input, $"isCorrelation needs a square matrix; rank 0 has {rows}×{p}");
            }

            var values = received.AsSpan(2);
            NonFiniteInput.ThrowIfAny(values);
            var eigenvalues = new double[p];
            var vectors = new double[p * p];
            context.Kernels.SymmetricEigen(values, p, eigenvalues, vectors);
            return Assemble(0, eigenvalues, vectors, p, ComponentCount(p), new double[p], Enumerable.Repeat(1.0, p).ToArray());
        });
    }

    private PcaResult Assemble(long rows, double[] values, double[] vectors, int p, int components, double[] means, double[] variances)
    {
        var eigenvectors = vectors.AsSpan(0, components * p).ToArray();
        if (IsDeterministic)
        {
            EigenvectorSigns.MakeLargestComponentPositive(eigenvectors, p);
        }

        var eigenvalues = values.AsSpan(0, components).ToArray();
        bool wantMeans = ResultsToCompute.HasFlag(PcaResultsToCompute.Mean);
        bool wantVariances = ResultsToCompute.HasFlag(PcaResultsToCompute.Variance);
        var transform = new PcaTransformData(
            wantMeans ? (double[])means.Clone() : null,
            wantVariances && (DoScale || IsCorrelation) ? (double[])variances.Clone() : null,
            ResultsToCompute.HasFlag(PcaResultsToCompute.Eigenvalue) ? (double[])eigenvalues.Clone() : null);
        return new PcaResult(
            rows,
            eigenvalues,
            new Table<double>(eigenvectors, components, p),
            wantMeans ? (double[])means.Clone() : null,
            wantVariances ? variances : null,
            transform);
    }
}
