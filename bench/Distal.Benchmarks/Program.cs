using BenchmarkDotNet.Running;

namespace Distal.Benchmarks;

/// <summary>
/// `dotnet run -c Release -- quick [options]` prints stopwatch medians as JSON lines (see <see cref="QuickRun"/>);
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

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
