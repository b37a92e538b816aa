namespace Distal.Algorithms;

/// <summary>
/// A trained linear regression model (daal4py's <c>linear_regression_training</c> result's <c>model</c>); predict
/// with <see cref="LinearRegressionPrediction"/>. Its file's <c>algorithm</c> is <c>linear-regression</c>.
/// </summary>
public sealed class LinearRegressionModel : RegressionModel, IModelReader<LinearRegressionModel>
{
    /// <summary>A model of the given coefficients: <paramref name="beta"/> is k×(p+1), intercept in column 0 (copied).</summary>
    public LinearRegressionModel(Table<double> beta, bool interceptFlag = true)
        : base(beta, interceptFlag)
    {
    }

    static string IModelReader<LinearRegressionModel>.AlgorithmName => "linear-regression";

    static int IModelReader<LinearRegressionModel>.LatestVersion => 1;

    /// <inheritdoc/>
    public override string Algorithm => "linear-regression";

    /// <summary>Loads a model saved by <see cref="Model.Save"/> (or <c>distal linear-regression-training --model-output</c>).</summary>
    /// <exception cref="DistalException">The file is missing, malformed, truncated or not a linear regression model.</exception>
    public static LinearRegressionModel Load(string path) => Load<LinearRegressionModel>(path);

    static LinearRegressionModel IModelReader<LinearRegressionModel>.Read(ModelReader reader)
    {
        // A file without the model header (a `--output` result of the training command) has the same fields.
        var (beta, intercept) = ReadFields(reader);
        return new LinearRegressionModel(beta, intercept);
    }
}
