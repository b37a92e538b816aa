using System.CommandLine;
using System.CommandLine.Help;
using Distal;
using Distal.Algorithms;
using Distal.Arrow;
using Distal.Cli;
using Distal.Cli.Commands;
using Distal.Parquet;

// The CLI reads every format: the add-on readers keep their dependencies out of the core library.
DataFile.Register(ParquetFormat.Instance);
DataFile.Register(ArrowFormat.Instance);

// The algorithm table: adding an algorithm to the CLI is one line here plus its command class.
AlgorithmCommand[] algorithms =
[
    new LowOrderMomentsCommand(),
    new CovarianceCommand(),
    new PcaCommand(),
    new PcaTransformCommand(),
    new SvdCommand(),
    new QrCommand(),
    new LinearRegressionTrainingCommand(),
    new RegressionPredictionCommand<LinearRegressionModel>("linear-regression-prediction", "linear-regression-training", LinearRegressionModel.Load, m => new LinearRegressionPrediction(m)),
    new RidgeRegressionTrainingCommand(),
    new RegressionPredictionCommand<RidgeRegressionModel>("ridge-regression-prediction", "ridge-regression-training", RidgeRegressionModel.Load, m => new RidgeRegressionPrediction(m)),
    new KMeansInitCommand(),
    new KMeansCommand(),
    new NaiveBayesTrainingCommand(),
    new NaiveBayesPredictionCommand(),
];

// A plain command named `distal` rather than RootCommand, whose name would be the assembly's (Distal.Cli).
var root = new Command("distal", "distal: batch, streaming and distributed (SPMD) data analytics.")
{
    new HelpOption(),
    new VersionOption(),
};
foreach (var algorithm in algorithms)
{
    root.Subcommands.Add(CommandRunner.Build(algorithm));
}

root.Subcommands.Add(BenchmarkCommand.Build(algorithms));
root.Subcommands.Add(ConvertCommand.Build());
var parse = root.Parse(args);
if (args.Length > 0 && parse.Errors.Count > 0)
{
    // A usage error (an option value not among the choices, a missing required option, an unknown command): one
    // line and exit 2, as DESIGN §6 asks, instead of the parser's help text on stdout.
    var error = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
    var names = new List<string>();
    for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
    {
        names.Insert(0, result.Command.Name);
    }

    Console.Error.WriteLine($"distal: {error.Message} (see {string.Join(' ', names)} --help)");
    return 2;
}

return parse.Invoke();
