using System.CommandLine;
using Distal.Cli;
using Distal.Cli.Commands;

// The algorithm table: adding an algorithm to the CLI is one line here plus its command class.
AlgorithmCommand[] algorithms =
[
    new LowOrderMomentsCommand(),
    new CovarianceCommand(),
];

var root = new RootCommand("distal: batch, streaming and distributed (SPMD) data analytics.");
foreach (var algorithm in algorithms)
{
    root.Subcommands.Add(CommandRunner.Build(algorithm));
}

root.Subcommands.Add(BenchmarkCommand.Build(algorithms));
return root.Parse(args).Invoke();
