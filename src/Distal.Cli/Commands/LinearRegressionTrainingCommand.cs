using System.CommandLine;
using System.Text.Json.Nodes;
using Distal.Algorithms;

namespace Distal.Cli.Commands;

internal sealed class LinearRegressionTrainingCommand : AlgorithmCommand
{
    private readonly Option<int> _responses = RegressionInputs.ResponsesOption("The last K columns of every input are the dependent variables (responses).");

    private readonly Option<string[]> _dependent = RegressionInputs.DependentOption();

    private readonly DaalChoice<LinearRegressionMethod> _method = new(
        "--method",
        "normEqDense (normal equations, Cholesky) or qrDense (TSQR, for ill-conditioned data).",
        "normEqDense",
        new Dictionary<string, LinearRegressionMethod>
        {
            ["normEqDense"] = LinearRegressionMethod.NormEqDense,
            ["qrDense"] = LinearRegressionMethod.QrDense,
        });

    private readonly Option<bool> _intercept = new("--intercept-flag")
    {
        Description = "Fit an intercept (true or false; daal4py's interceptFlag).",
        DefaultValueFactory = _ => true,
    };

    private readonly Option<string> _fpType = CommandRunner.FpType;

    public override string Name => "linear-regression-training";

    public override string Description => "Linear regression (least squares, k responses at once): beta (k×(p+1), intercept in column 0); --model-output saves the model.";

    public override IReadOnlyList<Option> Options => [_responses, _dependent, _method.Option, _intercept];

    public override bool TrainsModel => true;

    public override AlgorithmRun Bind(ParseResult parse) => new TrainingRun(
        new LinearRegressionTraining { Method = _method.Get(parse), InterceptFlag = parse.GetValue(_intercept), Distributed = true },
        RegressionInputs.ForTraining(parse, _responses, _dependent, CommandRunner.Inputs),
        parse.GetValue(_fpType) == "float");

    private sealed class TrainingRun(LinearRegressionTraining algorithm, RegressionInputs inputs, bool asFloat) : AlgorithmRun
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
