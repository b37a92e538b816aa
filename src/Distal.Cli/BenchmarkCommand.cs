using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Distal.Cli.Commands;
using Distal.Communication;

namespace Distal.Cli;

/// <summary>
/// `distal benchmark &lt;algorithm&gt; --rows N --cols P [--ranks R]`: generates the data in memory (the same rows
/// whatever the rank count), times the computation alone over several runs and prints JSON with the median.
/// </summary>
internal static class BenchmarkCommand
{
    private static readonly Option<int> RowsOption = new("--rows") { Description = "Total rows over all ranks.", Required = true };
    private static readonly Option<int> ColumnsOption = new("--cols") { Description = "Columns.", Required = true };
    private static readonly Option<int> RepeatOption = new("--repeat") { Description = "Timed runs (after one warm-up run).", DefaultValueFactory = _ => 5 };
    private static readonly Option<ulong> SeedOption = new("--data-seed") { Description = "Seed of the generated data.", DefaultValueFactory = _ => 42UL };
    private static readonly Option<bool> PacedOption = new("--paced")
    {
        Description = "After the warm-up run, time one run per line read from standard input and print its seconds as a JSON line (for a harness that alternates with another program); the summary follows at end of input.",
    };

    private static readonly Option<double?> DensityOption = new("--density") { Description = "Generate CSR rows with this fraction of stored values (algorithms that take CSR input)." };

    public static Command Build(IEnumerable<AlgorithmCommand> algorithms)
    {
        var benchmark = new Command("benchmark", "Time an algorithm on generated in-memory data (no I/O); prints JSON with medianSeconds.");
        foreach (var algorithm in algorithms)
        {
            var command = new Command(algorithm.Name, $"Benchmark {algorithm.Name}.");
            foreach (var option in (Option[])[RowsOption, ColumnsOption, CommandRunner.Ranks, RepeatOption, PacedOption, SeedOption, DensityOption, CommandRunner.Output, .. algorithm.Options])
            {
                command.Options.Add(option);
            }

            command.SetAction(parse => CommandRunner.Guard(() => Execute(algorithm, parse)));
            benchmark.Subcommands.Add(command);
        }

        return benchmark;
    }

    private static int Execute(AlgorithmCommand algorithm, ParseResult parse)
    {
        var run = algorithm.Bind(parse);
        int rows = parse.GetValue(RowsOption);
        int columns = parse.GetValue(ColumnsOption);
        int repeat = Math.Max(1, parse.GetValue(RepeatOption));
        ulong seed = parse.GetValue(SeedOption);
        if (parse.GetValue(DensityOption) is { } density && !(density is > 0 and <= 1))
        {
            throw new DistalException(FailureKind.Usage, $"--density must be in (0, 1], not {density}");
        }

        if (rows < 1 || columns < 1)
        {
            throw new DistalException(FailureKind.Usage, "--rows and --cols must be positive");
        }

        CommandRunner.OnWorld(parse.GetValue(CommandRunner.Ranks), communicator =>
        {
            var request = new BenchmarkData(rows, columns, seed, parse.GetValue(DensityOption));
            var data = run.Generate(communicator, request) ?? Generated(communicator, request);
            var context = new RankContext(communicator, [], null, isBenchmark: true);
            communicator.Barrier();
            long coldStart = Stopwatch.GetTimestamp();
            JsonObject last = run.Run(context, data);
            communicator.Barrier();
            double coldSeconds = Stopwatch.GetElapsedTime(coldStart).TotalSeconds;
            List<double> times = [];
            List<double> cpu = [];
            bool paced = parse.GetValue(PacedOption);
            if (paced)
            {
                Report(communicator, "warmupSeconds", coldSeconds, last);
            }

            while (paced ? NextRequested(communicator) : times.Count < repeat)
            {
                communicator.Barrier();
                TimeSpan cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
                long start = Stopwatch.GetTimestamp();
                last = run.Run(context, data);
                communicator.Barrier();
                times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
                cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds);
                if (paced)
                {
                    Report(communicator, "seconds", times[^1], last, cpu[^1]);
                }
            }

            if (times.Count == 0)
            {
                times.Add(coldSeconds);
            }

            double[] seconds = [.. times];
            Array.Sort(seconds);
            var json = new JsonObject
            {
                ["algorithm"] = algorithm.Name,
                ["rows"] = rows,
                ["cols"] = columns,
                ["ranks"] = communicator.Size,
                ["engine"] = communicator.Description,
                ["threadsPerRank"] = ThreadBudget.For(communicator),
                ["runs"] = times.Count,
                ["warmupSeconds"] = coldSeconds,
                ["medianSeconds"] = Median(times),
                ["minSeconds"] = seconds[0],
                ["medianCpuSeconds"] = cpu.Count == 0 ? null : Median(cpu),
                ["maxSeconds"] = seconds[^1],
            };
            if (last["nIterations"] is { } iterations)
            {
                json["iterations"] = iterations.DeepClone();
            }

            return json;
        }, result => CommandRunner.Emit(result, parse.GetValue(CommandRunner.Output)));
        return 0;
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        int half = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
    }

    /// <summary>
    /// Paced mode: rank 0 reads one line from standard input (a line asks for one more timed run, end of input
    /// stops) and every rank follows its answer, so all ranks run the same number of times.
    /// </summary>
    private static bool NextRequested(Communicator communicator)
    {
        Span<int> more = [communicator.Rank == 0 && Console.In.ReadLine() is not null ? 1 : 0];
        communicator.Broadcast(more, 0);
        return more[0] == 1;
    }

    /// <summary>Paced mode's answer: one JSON line with the run's seconds (and its iterations, for k-means).</summary>
    private static void Report(Communicator communicator, string key, double seconds, JsonObject result, double? cpuSeconds = null)
    {
        if (communicator.Rank == 0)
        {
            var line = new JsonObject { [key] = seconds };
            if (cpuSeconds is { } processCpu)
            {
                // CPU time of the whole process (every rank and thread of an embedded world): on a loaded machine,
                // what the run costs while it has a core.
                line["cpuSeconds"] = processCpu;
            }

            if (result["nIterations"] is { } iterations)
            {
                line["iterations"] = iterations.DeepClone();
            }

            Console.Out.WriteLine(line.ToJsonString());
            Console.Out.Flush();
        }
    }

    private static InputTable Generated(Communicator communicator, BenchmarkData request)
    {
        if (request.Density is not { } density)
        {
            return new InputTable(GenerateShare(communicator, request.Rows, request.Columns, request.Seed));
        }

        var (first, local) = CountData.Share(communicator, request.Rows);
        return new InputTable(CountData.Sparse(first, local, request.Columns, 1, density, request.Seed));
    }

    /// <summary>
    /// This rank's rows of the generated table (the first rows % size ranks get one extra row). Every value is a
    /// function of its global position, so the table is the same for any number of ranks.
    /// </summary>
    private static Table<double> GenerateShare(Communicator communicator, int rows, int columns, ulong seed)
    {
        int size = communicator.Size;
        int rank = communicator.Rank;
        int local = (rows / size) + (rank < rows % size ? 1 : 0);
        long first = ((long)rank * (rows / size)) + Math.Min(rank, rows % size);
        var table = Table<double>.Create(local, columns);
        var values = table.Span;
        for (long i = 0; i < values.Length; i++)
        {
            ulong position = (ulong)((first * columns) + i);
            values[(int)i] = Uniform(seed, position);
        }

        return table;
    }

    // SplitMix64 of (seed, position): uniform in [-1, 1), cheap, and independent of how rows are split.
    private static double Uniform(ulong seed, ulong position)
    {
        ulong z = seed + ((position + 1) * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return ((z >> 11) * (1.0 / (1UL << 53)) * 2.0) - 1.0;
    }
}
