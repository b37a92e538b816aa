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
            if (data.Streaming is { } stream)
            {
                return Streamed(communicator, stream, model);
            }

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

            return Json(communicator, prediction.Prediction, prediction.Probabilities?.Memory, prediction.LogProbabilities?.Memory, model.Classes);
        }

        /// <summary>
        /// Streamed rows (`--chunk-rows`): each chunk predicted on its own (a label column beyond the model's features
        /// dropped); the JSON lists every row's class, so this rank keeps one int per row (and the probabilities when asked).
        /// </summary>
        private JsonObject Streamed(Communicator communicator, StreamPlan stream, MultinomialNaiveBayesModel model)
        {
            var labels = new List<int>();
            var probabilities = new List<double>();
            var logProbabilities = new List<double>();
            bool withProbabilities = (results & NaiveBayesResults.ClassProbabilities) != 0;
            Table<double> Predict(Table<double> chunk)
            {
                var rows = chunk;
                if (chunk.Columns == model.Features + 1)
                {
                    rows = Table<double>.Create(chunk.Rows, model.Features);
                    for (int i = 0; i < chunk.Rows; i++)
                    {
                        chunk.Row(i)[..model.Features].CopyTo(rows.Row(i));
                    }
                }

                var prediction = model.Predict(rows, results);
                labels.AddRange(prediction.Prediction);
                if (withProbabilities)
                {
                    probabilities.AddRange(prediction.Probabilities!.Span);
                    logProbabilities.AddRange(prediction.LogProbabilities!.Span);
                }

                return rows;
            }

            communicator.Collectively(() =>
            {
                foreach (var _ in stream.MapRows(Predict))
                {
                }
            });
            return Json(
                communicator,
                System.Runtime.InteropServices.CollectionsMarshal.AsSpan(labels),
                withProbabilities ? probabilities.ToArray() : null,
                withProbabilities ? logProbabilities.ToArray() : null,
                model.Classes);
        }

        /// <summary>The classes (and probabilities) of every rank's rows in rank order, which is global row order, on rank 0.</summary>
        private static JsonObject Json(Communicator communicator, ReadOnlySpan<int> prediction, ReadOnlyMemory<double>? probabilitiesLocal, ReadOnlyMemory<double>? logLocal, int classes)
        {
            var json = new JsonObject();
            int[] labels = communicator.GatherV(prediction, 0, out _);
            var probabilities = Gather(communicator, probabilitiesLocal, classes);
            var logProbabilities = Gather(communicator, logLocal, classes);
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

        private static Table<double>? Gather(Communicator communicator, ReadOnlyMemory<double>? local, int classes)
        {
            if (local is not { } values)
            {
                return null;
            }

            double[] all = communicator.GatherV<double>(values.Span, 0, out _);
            return communicator.Rank == 0 ? Table.FromArray(all, all.Length / classes, classes) : null;
        }
    }
}
