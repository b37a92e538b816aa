using System.CommandLine;
using System.Text.Json.Nodes;
using Distal.Algorithms;

namespace Distal.Cli.Commands;

/// <summary>
/// `linear-regression-prediction` and `ridge-regression-prediction`: the same command over the two model types, so
/// the CLI's table has one line for each (<paramref name="load"/> reads the model, <paramref name="predict"/> wraps it).
/// </summary>
/// <typeparam name="TModel">The model type the command reads.</typeparam>
internal sealed class RegressionPredictionCommand<TModel>(string name, string trainingCommand, Func<string, TModel> load, Func<TModel, RegressionPrediction> predict) : AlgorithmCommand
    where TModel : RegressionModel
{
    private readonly Option<string> _model = new("--model")
    {
        Description = $"The model saved by `distal {trainingCommand} --model-output FILE`.",
        Required = true,
    };

    private readonly Option<int> _responses = RegressionInputs.ResponsesOption("Skip the last K columns of every input (responses kept in a test file).");

    public override string Name => name;

    public override string Description => $"Predicts with a {trainingCommand.Replace("-training", "", StringComparison.Ordinal).Replace('-', ' ')} model: prediction (rows of every rank, in rank order); prediction_<rank>.csv with --local-output-dir.";

    public override IReadOnlyList<Option> Options => [_model, _responses];

    public override AlgorithmRun Bind(ParseResult parse)
        => new PredictionRun(parse.GetValue(_model)!, RegressionInputs.ForPrediction(parse, _responses), load, predict);

    private sealed class PredictionRun(string modelPath, RegressionInputs inputs, Func<string, TModel> load, Func<TModel, RegressionPrediction> predict) : AlgorithmRun
    {
        public override JsonObject Run(RankContext context, InputTable data)
        {
            // Every rank reads the model inside the world, so a bad file is one agreed error, never a hang.
            var algorithm = predict(context.LoadModel(load, modelPath));
            if (data.Streaming is { } stream)
            {
                return RegressionJson.Predict(context, stream, inputs.Responses, algorithm);
            }

            algorithm.Distributed = true;
            return RegressionJson.Predict(context, inputs.PredictionRows(context, data), algorithm);
        }
    }
}
