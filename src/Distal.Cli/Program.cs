using System.CommandLine;
using System.CommandLine.Help;
using Distal.Cli;
using Distal.Cli.Commands;

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
    new LinearRegressionPredictionCommand(),
    new RidgeRegressionTrainingCommand(),
    new RidgeRegressionPredictionCommand(),
    new KMeansInitCommand(),
    new KMeansCommand(),
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
return root.Parse(args).Invoke();
