using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Distal.Algorithms;
using Distal.Communication;

namespace Distal.Cli.Commands;

internal sealed class NaiveBayesTrainingCommand : AlgorithmCommand
{
    private readonly Option<int> _classes = new("--classes", "--n-classes") { Description = "Number of classes C (daal4py's nClasses); labels are 0 … C − 1.", Required = true };

    private readonly Option<string[]> _labels = new("--labels")
    {
        Description = "A label file (one column) for all rows, or one per rank (repeat: --labels l0.csv --labels l1.csv). Without it the label is the data's last column.",
    };

    private readonly Option<string> _alpha = new("--alpha")
    {
        Description = "Smoothing: one value, or one per feature separated by commas (daal4py's alpha). Default 1.",
        DefaultValueFactory = _ => "1",
    };

    private readonly DaalChoice<ClassPrior> _prior = new(
        "--prior",
        "Class priors (daal4py's priorClassEstimates): uniform (daal4py's default) or empirical (the class frequencies, scikit-learn's default).",
        "uniform",
        new Dictionary<string, ClassPrior> { ["uniform"] = ClassPrior.Uniform, ["empirical"] = ClassPrior.Empirical });

    public override string Name => "multinomial-naive-bayes-training";

    public override string Description => "Multinomial naive Bayes training on counts (dense or CSR): the model's logP and logTheta.";

    public override IReadOnlyList<Option> Options => [_classes, _labels, _alpha, _prior.Option];

    public override bool TrainsModel => true;

    public override AlgorithmRun Bind(ParseResult parse)
    {
        int classes = parse.GetValue(_classes);
        if (classes < 1)
        {
            throw new DistalException(FailureKind.Usage, $"--classes must be at least 1, not {classes}");
        }

        var training = new MultinomialNaiveBayesTraining(classes)
        {
            Alpha = ParseAlpha(parse.GetValue(_alpha)!),
            PriorClassEstimates = _prior.Get(parse),
            Distributed = true,
        };
        return new TrainingRun(training, parse.GetValue(_labels) ?? []);
    }

    private static double[] ParseAlpha(string text)
    {
        var values = new List<double>();
        foreach (string part in text.Split(','))
        {
            if (!double.TryParse(part.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                throw new DistalException(FailureKind.Usage, $"--alpha: '{part.Trim()}' is not a number");
            }

            values.Add(value);
        }

        NaiveBayesEstimates.CheckAlpha(values.ToArray());
        return [.. values];
    }

    private sealed class TrainingRun(MultinomialNaiveBayesTraining training, IReadOnlyList<string> labelFiles) : AlgorithmRun
    {
        public override InputTable? Generate(Communicator communicator, BenchmarkData request)
            => NaiveBayesBenchmark.Generate(communicator, request, training.NClasses);

        public override JsonObject Run(RankContext context, InputTable data)
        {
            if (data.Streaming is { } stream)
            {
                var target = labelFiles.Count == 0 ? StreamTarget.Columns(1, "the label in the last column") : StreamTarget.FromFiles(labelFiles, "--labels");
                var streamed = stream.Train(training, target);
                context.SaveModel(streamed);
                return Json(streamed);
            }

            var labelled = NaiveBayesLabels.Resolve(context, data, labelFiles);
            MultinomialNaiveBayesModel model;
            try
            {
                model = Train(labelled);
            }
            catch (DistalException e) when (e.Kind == FailureKind.Input && (e.Cause.StartsWith("data: ", StringComparison.Ordinal) || e.Cause.StartsWith("labels: ", StringComparison.Ordinal)))
            {
                // Every rank has the same agreed error: now name the file and line of the bad value.
                labelled.LocateFault(context, training.NClasses);
                throw;
            }

            context.SaveModel(model);
            if (context.Presentation.WantsExtras)
            {
                AddClassCounts(context, labelled.Labels);
            }

            return Json(model);
        }

        private static JsonObject Json(MultinomialNaiveBayesModel model)
        {
            return new JsonObject
            {
                ["logP"] = JsonResult.Vector(model.LogP),
                ["logTheta"] = JsonResult.Matrix(model.LogTheta),
            };
        }

        /// <summary>Rows per class over all ranks (one allreduce of C counts), for the summary.</summary>
        private void AddClassCounts(RankContext context, Table<double> labels)
        {
            var counts = new long[training.NClasses];
            foreach (double label in labels.Span)
            {
                counts[(int)label]++;
            }

            context.Communicator.Allreduce<long>(counts, ReduceOperation.Sum);
            context.Extras["classCounts"] = new JsonArray([.. counts.Select(c => JsonValue.Create(c))]);
        }

        private MultinomialNaiveBayesModel Train(NaiveBayesLabels labelled)
        {
            var x = labelled.Features;
            return x.DenseDouble is { } d ? training.Compute(d, labelled.Labels)
                : x.DenseSingle is { } f ? training.Compute(f, labelled.FloatLabels())
                : x.SparseDouble is { } sd ? training.Compute(sd, labelled.Labels)
                : training.Compute(x.SparseSingle!, labelled.FloatLabels());
        }
    }
}
