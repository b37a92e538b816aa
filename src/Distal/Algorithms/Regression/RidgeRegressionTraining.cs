namespace Distal.Algorithms;

/// <summary>
/// Ridge regression training (daal4py's <c>ridge_regression_training</c>): for each response r, β_r minimizes
/// ‖y_r − β₀ − X·β_r‖² + λ_r‖β_r‖², the intercept not penalised, in every mode — batch, streaming, distributed,
/// streaming + distributed. Unlike daal4py, which silently uses only the first value, every response gets its own
/// <see cref="RidgeParameters"/> value.
/// </summary>
/// <example>
/// <code>
/// var model = new RidgeRegressionTraining { RidgeParameters = [0.5, 2.0] }.Compute(x, y);   // two responses
/// var prediction = new RidgeRegressionPrediction(model).Compute(xNew).Prediction;
/// </code>
/// </example>
public sealed class RidgeRegressionTraining : SupervisedAlgorithm<RidgeRegressionModel>, IMergeableAlgorithm<LeastSquaresPartial, RidgeRegressionModel>
{
    private double[] _ridgeParameters = [1.0];

    /// <summary>λ ≥ 0: one value for every response, or one per response (default 1.0).</summary>
    public IReadOnlyList<double> RidgeParameters
    {
        get => _ridgeParameters;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _ridgeParameters = [.. value];
        }
    }

    /// <summary>Fit an intercept β₀ (default true; it is never penalised); without one, column 0 of β is 0.</summary>
    public bool InterceptFlag { get; set; } = true;

    string IMergeableAlgorithm<LeastSquaresPartial, RidgeRegressionModel>.Name => Name;

    string? IMergeableAlgorithm<LeastSquaresPartial, RidgeRegressionModel>.TargetName => "dependentVariables";

    internal override PartialEngine<RidgeRegressionModel> Engine => PartialEngine.Of(this);

    private protected override string Name => "ridge regression";

    LeastSquaresPartial IMergeableAlgorithm<LeastSquaresPartial, RidgeRegressionModel>.CreatePartial(InputShape shape, ComputeContext context)
    {
        RegressionInputs.Check(Name, shape);
        PerResponse(shape.TargetColumns);
        return new LeastSquaresPartial(shape.DataColumns, shape.TargetColumns, useQr: false, InterceptFlag);
    }

    void IMergeableAlgorithm<LeastSquaresPartial, RidgeRegressionModel>.Accumulate<T>(LeastSquaresPartial partial, AlgorithmInput<T> rows, ComputeContext context)
        => partial.Accumulate(rows.DenseData(Name), rows.RequiredTarget);

    RidgeRegressionModel IMergeableAlgorithm<LeastSquaresPartial, RidgeRegressionModel>.Finalize(LeastSquaresPartial partial, ComputeContext context)
        => new(LeastSquaresSolution.Beta(Name, partial, PerResponse(partial.Responses), context.Kernels), partial.Intercept);

    /// <summary>One λ per response, checked.</summary>
    private double[] PerResponse(int responses)
    {
        var values = _ridgeParameters;
        if (values.Length != 1 && values.Length != responses)
        {
            throw new DistalException(FailureKind.Usage, $"{Name}: {values.Length} ridge parameters for {responses} responses; give one, or one per response");
        }

        foreach (double v in values)
        {
            if (!(v >= 0) || !double.IsFinite(v))
            {
                throw new DistalException(FailureKind.Usage, $"{Name}: a ridge parameter must be finite and non-negative, not {v}");
            }
        }

        return values.Length == responses ? values : Enumerable.Repeat(values[0], responses).ToArray();
    }
}
