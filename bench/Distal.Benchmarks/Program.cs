using BenchmarkDotNet.Running;

namespace Distal.Benchmarks;

/// <summary>
/// `dotnet run -c Release -- quick [options]` prints stopwatch medians as JSON lines (see <see cref="QuickRun"/>);
/// `-- csv FILE` times the stages of a CSV read (see <see cref="CsvStages"/>);
/// `-- comm [--ranks P]` prints the communication terms of docs/scaling.md (<see cref="CommunicationRun"/>);
/// `-- lloyd [--rows N]` times the parts of one Lloyd pass (see <see cref="LloydParts"/>);
/// anything else goes to BenchmarkDotNet's switcher, e.g. `-- --filter '*Gram*'`.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "quick")
        {
            return QuickRun.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "csv")
        {
            return CsvStages.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "comm")
        {
            return CommunicationRun.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "lloyd")
        {
            return LloydParts.Run(args[1..]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
