using System.CommandLine;
using System.Text.Json.Nodes;
using Distal.Algorithms;

namespace Distal.Cli.Commands;

internal sealed class RidgeRegressionPredictionCommand : AlgorithmCommand
{
    private readonly Option<string> _model = new("--model")
    {
        Description = "The model saved by `distal ridge-regression-training --model-output FILE`.",
        Required = true,
    };

    private readonly Option<int> _responses = RegressionInputs.ResponsesOption("Skip the last K columns of every input (responses kept in a test file).");

    public override string Name => "ridge-regression-prediction";

    public override string Description => "Predicts with a ridge regression model: prediction (rows of every rank, in rank order); prediction_<rank>.csv with --local-output-dir.";

    public override IReadOnlyList<Option> Options => [_model, _responses];

    public override AlgorithmRun Bind(ParseResult parse)
        => new PredictionRun(parse.GetValue(_model)!, RegressionInputs.ForPrediction(parse, _responses));

    private sealed class PredictionRun(string modelPath, RegressionInputs inputs) : AlgorithmRun
    {
        public override JsonObject Run(RankContext context, InputTable data)
        {
            // Every rank reads the model inside the world, so a bad file is one agreed error, never a hang.
            var model = context.LoadModel(RidgeRegressionModel.Load, modelPath);
            return RegressionJson.Predict(context, inputs.PredictionRows(context, data), new RidgeRegressionPrediction(model) { Distributed = true });
        }
    }
}
