using System.CommandLine;
using System.Text.Json.Nodes;
using Distal.Algorithms;

namespace Distal.Cli.Commands;

/// <summary>
/// What the two regression training commands share: where the dependent variables come from (`--responses K` or
/// `--dependent FILE...`), `--intercept-flag`, `--model-output`, and the run that trains, saves and prints the model.
/// </summary>
/// <typeparam name="TModel">The model the command trains.</typeparam>
internal abstract class RegressionTrainingCommand<TModel> : AlgorithmCommand
    where TModel : RegressionModel
{
    private readonly Option<int> _responses = RegressionInputs.ResponsesOption("The last K columns of every input are the dependent variables (responses).");

    private readonly Option<string[]> _dependent = RegressionInputs.DependentOption();

    private readonly Option<bool> _intercept = new("--intercept-flag")
    {
        Description = "Fit an intercept, never penalised (true or false; daal4py's interceptFlag).",
        DefaultValueFactory = _ => true,
    };

    public sealed override IReadOnlyList<Option> Options => [_responses, _dependent, _intercept, .. AlgorithmOptions];

    public sealed override bool TrainsModel => true;

    /// <summary>The algorithm's own options (method, ridge parameters).</summary>
    protected abstract IReadOnlyList<Option> AlgorithmOptions { get; }

    public sealed override AlgorithmRun Bind(ParseResult parse) => new TrainingRun(
        Name,
        Create(parse, parse.GetValue(_intercept)),
        RegressionInputs.ForTraining(parse, _responses, _dependent, CommandRunner.Inputs),
        parse.GetValue(CommandRunner.FpType) == "float");

    /// <summary>The configured training algorithm.</summary>
    protected abstract SupervisedAlgorithm<TModel> Create(ParseResult parse, bool interceptFlag);

    private sealed class TrainingRun(string command, SupervisedAlgorithm<TModel> algorithm, RegressionInputs inputs, bool asFloat) : AlgorithmRun
    {
        public override JsonObject Run(RankContext context, InputTable data)
        {
            algorithm.Distributed = true;
            if (data.Streaming is { } stream)
            {
                var target = stream.Prepare(inputs.StreamTarget(context));
                var streamed = stream.Train(algorithm, target);
                context.SaveModel(streamed);
                if (context.Presentation.WantsExtras)
                {
                    // The fit's summary (R², the plot) needs the model, so the rows once more.
                    stream.AnnounceSecondPass(command, "R² on the training rows");
                    Output.StreamedRegressionFit.AddTo(context.Extras, context.Communicator, streamed, stream.PairsAgain(target), stream.TrainedRows, context.Presentation.PlotPath is not null);
                }

                return RegressionJson.Model(streamed);
            }

            var (x, y) = inputs.TrainingRows(context, data, asFloat);
            var model = x.Compute(algorithm, y);
            context.SaveModel(model);
            if (context.Presentation.WantsExtras)
            {
                Output.RegressionFit.AddTo(context.Extras, context.Communicator, model, x.AsDouble(), y.AsDouble(), context.Presentation.PlotPath is not null);
            }

            return RegressionJson.Model(model);
        }
    }
}
