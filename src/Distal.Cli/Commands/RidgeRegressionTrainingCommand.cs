using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Distal.Algorithms;

namespace Distal.Cli.Commands;

internal sealed class RidgeRegressionTrainingCommand : AlgorithmCommand
{
    private readonly Option<int> _responses = RegressionInputs.ResponsesOption("The last K columns of every input are the dependent variables (responses).");

    private readonly Option<string[]> _dependent = RegressionInputs.DependentOption();

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

    private readonly Option<bool> _intercept = new("--intercept-flag")
    {
        Description = "Fit an intercept, never penalised (true or false; daal4py's interceptFlag).",
        DefaultValueFactory = _ => true,
    };

    private readonly Option<string> _fpType = CommandRunner.FpType;

    public override string Name => "ridge-regression-training";

    public override string Description => "Ridge regression (a λ per response, intercept not penalised): beta (k×(p+1), intercept in column 0); --model-output saves the model.";

    public override IReadOnlyList<Option> Options => [_responses, _dependent, _method.Option, _ridge, _intercept];

    public override bool TrainsModel => true;

    public override AlgorithmRun Bind(ParseResult parse) => new TrainingRun(
        new RidgeRegressionTraining { RidgeParameters = ParseRidge(parse.GetValue(_ridge)!), InterceptFlag = parse.GetValue(_intercept), Distributed = true },
        RegressionInputs.ForTraining(parse, _responses, _dependent, CommandRunner.Inputs),
        parse.GetValue(_fpType) == "float");

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

    private sealed class TrainingRun(RidgeRegressionTraining algorithm, RegressionInputs inputs, bool asFloat) : AlgorithmRun
    {
        public override JsonObject Run(RankContext context, InputTable data)
        {
            var (x, y) = inputs.TrainingRows(context, data, asFloat);
            var model = x.Compute(algorithm, y);
            context.SaveModel(model);
            return RegressionJson.Model(model);
        }
    }
}
