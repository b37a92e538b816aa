using Distal.Communication;

namespace Distal.Algorithms;

/// <summary>
/// Prediction with a linear model: each rank predicts its own rows, ŷ = β₀ + X·βᵀ (n×k). In distributed mode the
/// ranks only agree on errors (a data width that does not match the model fails on every rank alike).
/// </summary>
public abstract class RegressionPrediction : Algorithm<RegressionPredictionResult>
{
    private readonly RegressionModel _model;

    private protected RegressionPrediction(RegressionModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
    }

    internal override RegressionPredictionResult ComputeDense<T>(Table<T> data, ComputeContext context)
        => context.Communicator.Collectively(() => new RegressionPredictionResult(_model.Predict(data, context)));
}

/// <summary>daal4py's <c>linear_regression_prediction</c>: predicts with a <see cref="LinearRegressionModel"/>.</summary>
public sealed class LinearRegressionPrediction : RegressionPrediction
{
    /// <summary>Predicts with <paramref name="model"/>.</summary>
    public LinearRegressionPrediction(LinearRegressionModel model)
        : base(model)
    {
    }

    private protected override string Name => "linear regression prediction";
}

/// <summary>daal4py's <c>ridge_regression_prediction</c>: predicts with a <see cref="RidgeRegressionModel"/>.</summary>
public sealed class RidgeRegressionPrediction : RegressionPrediction
{
    /// <summary>Predicts with <paramref name="model"/>.</summary>
    public RidgeRegressionPrediction(RidgeRegressionModel model)
        : base(model)
    {
    }

    private protected override string Name => "ridge regression prediction";
}
