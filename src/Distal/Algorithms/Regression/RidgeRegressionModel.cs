namespace Distal.Algorithms;

/// <summary>
/// A trained ridge regression model (daal4py's <c>ridge_regression_training</c> result's <c>model</c>); predict
/// with <see cref="RidgeRegressionPrediction"/>. Its file's <c>algorithm</c> is <c>ridge-regression</c>.
/// </summary>
public sealed class RidgeRegressionModel : RegressionModel, IModelReader<RidgeRegressionModel>
{
    /// <summary>A model of the given coefficients: <paramref name="beta"/> is k×(p+1), intercept in column 0 (copied).</summary>
    public RidgeRegressionModel(Table<double> beta, bool interceptFlag = true)
        : base(beta, interceptFlag)
    {
    }

    static string IModelReader<RidgeRegressionModel>.AlgorithmName => "ridge-regression";

    static int IModelReader<RidgeRegressionModel>.LatestVersion => 1;

    /// <inheritdoc/>
    public override string Algorithm => "ridge-regression";

    /// <summary>Loads a model saved by <see cref="Model.Save"/> (or <c>distal ridge-regression-training --model-output</c>).</summary>
    /// <exception cref="DistalException">The file is missing, malformed, truncated or not a ridge regression model.</exception>
    public static RidgeRegressionModel Load(string path) => Load<RidgeRegressionModel>(path);

    static RidgeRegressionModel IModelReader<RidgeRegressionModel>.Read(ModelReader reader)
    {
        // A file without the model header (a `--output` result of the training command) has the same fields.
        var (beta, intercept) = ReadFields(reader);
        return new RidgeRegressionModel(beta, intercept);
    }
}
