using System.CommandLine;
using System.Globalization;
using Distal.Algorithms;

namespace Distal.Cli.Commands;

internal sealed class RidgeRegressionTrainingCommand : RegressionTrainingCommand<RidgeRegressionModel>
{
    // daal4py's ridge regression has one method; accepted so daal4py command lines work unchanged.
    private readonly DaalChoice<string> _method = new(
        "--method",
        "Computation method (normal equations).",
        "defaultDense",
        new Dictionary<string, string> { ["defaultDense"] = "defaultDense", ["normEqDense"] = "normEqDense" });

    private readonly Option<string> _ridge = new("--ridge", "--ridge-parameters")
    {
        Description = "Ridge parameter λ ≥ 0: one value, or one per response separated by commas (daal4py's ridgeParameters).",
        DefaultValueFactory = _ => "1.0",
    };

    public override string Name => "ridge-regression-training";

    public override string Description => "Ridge regression (a λ per response, intercept not penalised): beta (k×(p+1), intercept in column 0); --model-output saves the model.";

    protected override IReadOnlyList<Option> AlgorithmOptions => [_method.Option, _ridge];

    protected override SupervisedAlgorithm<RidgeRegressionModel> Create(ParseResult parse, bool interceptFlag)
        => new RidgeRegressionTraining { RidgeParameters = ParseRidge(parse.GetValue(_ridge)!), InterceptFlag = interceptFlag };

    private static double[] ParseRidge(string text)
    {
        var values = text.Split(',', StringSplitOptions.TrimEntries);
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.TryParse(values[i], NumberStyles.Float, CultureInfo.InvariantCulture, out result[i]) || !double.IsFinite(result[i]) || result[i] < 0)
            {
                throw new DistalException(FailureKind.Usage, $"--ridge: '{values[i]}' is not a finite non-negative number");
            }
        }

        return result;
    }
}
