using System.CommandLine;
using Distal.Algorithms;

namespace Distal.Cli.Commands;

internal sealed class LinearRegressionTrainingCommand : RegressionTrainingCommand<LinearRegressionModel>
{
    private readonly DaalChoice<LinearRegressionMethod> _method = new(
        "--method",
        "normEqDense (normal equations, Cholesky) or qrDense (TSQR, for ill-conditioned data).",
        "normEqDense",
        new Dictionary<string, LinearRegressionMethod>
        {
            ["normEqDense"] = LinearRegressionMethod.NormEqDense,
            ["qrDense"] = LinearRegressionMethod.QrDense,
        });

    public override string Name => "linear-regression-training";

    public override string Description => "Linear regression (least squares, k responses at once): beta (k×(p+1), intercept in column 0); --model-output saves the model.";

    protected override IReadOnlyList<Option> AlgorithmOptions => [_method.Option];

    protected override SupervisedAlgorithm<LinearRegressionModel> Create(ParseResult parse, bool interceptFlag)
        => new LinearRegressionTraining { Method = _method.Get(parse), InterceptFlag = interceptFlag };
}
