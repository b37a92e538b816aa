using System.CommandLine;
using System.Text.Json.Nodes;
using Distal.Algorithms;
using Distal.Communication;

namespace Distal.Cli.Commands;

internal sealed class NaiveBayesPredictionCommand : AlgorithmCommand
{
    private readonly Option<string?> _model = new("--model") { Description = "The model written by multinomial-naive-bayes-training --model-output (logP, logTheta)." };

    private readonly Option<bool> _probabilities = new("--probabilities")
    {
        Description = "Also compute the class probabilities and log-probabilities (daal4py's computeClassProbabilities|computeClassLogProbabilities).",
    };

    private readonly Option<int> _classes = new("--classes", "--n-classes") { Description = "Benchmarks only (no --model): classes of the model trained on the generated rows.", DefaultValueFactory = _ => 5 };

    public override string Name => "multinomial-naive-bayes-prediction";

    public override string Description => "Multinomial naive Bayes prediction (dense or CSR rows; a last column beyond the model's features is taken as a label and ignored): prediction, and probabilities and logProbabilities with --probabilities.";

    public override IReadOnlyList<Option> Options => [_model, _probabilities, _classes];

    public override AlgorithmRun Bind(ParseResult parse)
    {
        var results = NaiveBayesResults.ClassLabels;
        if (parse.GetValue(_probabilities))
        {
            results |= NaiveBayesResults.ClassProbabilities | NaiveBayesResults.ClassLogProbabilities;
        }

        return new PredictionRun(parse.GetValue(_model), results, parse.GetValue(_classes));
    }

    private sealed class PredictionRun(string? modelPath, NaiveBayesResults results, int classes) : AlgorithmRun
    {
        public override InputTable? Generate(Communicator communicator, BenchmarkData request)
            => NaiveBayesBenchmark.Generate(communicator, request, classes);

        public override JsonObject Run(RankContext context, InputTable data)
        {
            var communicator = context.Communicator;
            var model = ModelFor(context, data);
            int p = model.Features;
            int width = communicator.Allreduce(data.Rows > 0 ? data.Columns : 0, ReduceOperation.Max);
            var rows = width == p + 1 && !context.IsBenchmark
                ? communicator.Collectively(() => LastColumn.Split(data, width, data.Origin ?? new InputOrigin("input", 0)).Features)
                : data;
            var prediction = communicator.Collectively(() =>
                rows.DenseDouble is { } d ? model.Predict(d, results)
                : rows.DenseSingle is { } f ? model.Predict(f, results)
                : rows.SparseDouble is { } sd ? model.Predict(sd, results)
                : model.Predict(rows.SparseSingle!, results));
            var json = new JsonObject();
            if (context.IsBenchmark)
            {
                return json;
            }

            // Ranks hold consecutive global rows, so rank order is global row order.
            int[] labels = communicator.GatherV(prediction.Prediction, 0, out _);
            var probabilities = Gather(communicator, prediction.Probabilities, model.Classes);
            var logProbabilities = Gather(communicator, prediction.LogProbabilities, model.Classes);
            if (communicator.Rank == 0)
            {
                json["prediction"] = JsonResult.Vector(labels);
                if (probabilities is not null)
                {
                    json["probabilities"] = JsonResult.Matrix(probabilities);
                    json["logProbabilities"] = JsonResult.Matrix(logProbabilities!);
                }
            }

            return json;
        }

        private MultinomialNaiveBayesModel ModelFor(RankContext context, InputTable data)
        {
            if (modelPath is not null)
            {
                return context.LoadModel(MultinomialNaiveBayesModel.Load, modelPath);
            }

            if (!context.IsBenchmark || data.GeneratedLabels is null)
            {
                throw new DistalException(FailureKind.Usage, "multinomial-naive-bayes-prediction: --model FILE is required");
            }

            // Benchmarks: a model trained (untimed) on the generated rows, once per process.
            lock (this)
            {
                return _trained ??= NaiveBayesBenchmark.Train(data, classes);
            }
        }

        private MultinomialNaiveBayesModel? _trained;

        private static Table<double>? Gather(Communicator communicator, Table<double>? local, int classes)
        {
            if (local is null)
            {
                return null;
            }

            double[] all = communicator.GatherV<double>(local.Span, 0, out _);
            return communicator.Rank == 0 ? Table.FromArray(all, all.Length / classes, classes) : null;
        }
    }
}
