namespace Distal.Algorithms;

/// <summary>The result of <see cref="LinearRegressionPrediction"/> or <see cref="RidgeRegressionPrediction"/>.</summary>
public sealed class RegressionPredictionResult
{
    internal RegressionPredictionResult(Table<double> prediction) => Prediction = prediction;

    /// <summary>This rank's predictions, n×k: one row per input row, one column per response.</summary>
    public Table<double> Prediction { get; }
}
