namespace Distal.Algorithms;

/// <summary>
/// Linear regression training (daal4py's <c>linear_regression_training</c>): least squares of k responses at once,
/// Y ≈ 1·β₀ᵀ + X·Bᵀ, in every mode — batch, streaming (<see cref="SupervisedAlgorithm{TResult}.CreateOnline"/>),
/// distributed, streaming + distributed. The data (n×p) and the dependent variables (n×k) are separate tables with
/// the same rows. A singular or rank-deficient X gives the minimum-norm solution, never NaN.
/// </summary>
/// <example>
/// <code>
/// var model = new LinearRegressionTraining { Method = LinearRegressionMethod.QrDense }.Compute(x, y);
/// var prediction = new LinearRegressionPrediction(model).Compute(xNew).Prediction;
/// model.Save("model.json");
/// </code>
/// </example>
public sealed class LinearRegressionTraining : SupervisedAlgorithm<LinearRegressionModel>, IMergeableAlgorithm<LeastSquaresPartial, LinearRegressionModel>
{
    /// <summary>Normal equations (the default, fastest) or QR (accurate for ill-conditioned data).</summary>
    public LinearRegressionMethod Method { get; set; } = LinearRegressionMethod.NormEqDense;

    /// <summary>Fit an intercept β₀ (default true); without one, column 0 of β is 0.</summary>
    public bool InterceptFlag { get; set; } = true;

    string IMergeableAlgorithm<LeastSquaresPartial, LinearRegressionModel>.Name => Name;

    string? IMergeableAlgorithm<LeastSquaresPartial, LinearRegressionModel>.TargetName => "dependentVariables";

    internal override PartialEngine<LinearRegressionModel> Engine => PartialEngine.Of(this);

    private protected override string Name => "linear regression";

    LeastSquaresPartial IMergeableAlgorithm<LeastSquaresPartial, LinearRegressionModel>.CreatePartial(InputShape shape, ComputeContext context)
    {
        RegressionInputs.Check(Name, shape);
        if (!Enum.IsDefined(Method))
        {
            throw new DistalException(FailureKind.Usage, $"{Name}: unknown method {Method}");
        }

        return new LeastSquaresPartial(shape.DataColumns, shape.TargetColumns, Method == LinearRegressionMethod.QrDense, InterceptFlag);
    }

    void IMergeableAlgorithm<LeastSquaresPartial, LinearRegressionModel>.Accumulate<T>(LeastSquaresPartial partial, AlgorithmInput<T> rows, ComputeContext context)
        => partial.Accumulate(rows.DenseData(Name), rows.RequiredTarget);

    LinearRegressionModel IMergeableAlgorithm<LeastSquaresPartial, LinearRegressionModel>.Finalize(LeastSquaresPartial partial, ComputeContext context)
        => new(LeastSquaresSolution.Beta(Name, partial, new double[partial.Responses], context.Kernels), partial.Intercept);
}
