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
    private static readonly Option<double?> DensityOption = new("--density") { Description = "Generate CSR rows with this fraction of stored values (algorithms that take CSR input)." };

    public static Command Build(IEnumerable<AlgorithmCommand> algorithms)
    {
        var benchmark = new Command("benchmark", "Time an algorithm on generated in-memory data (no I/O); prints JSON with medianSeconds.");
        foreach (var algorithm in algorithms)
        {
            var command = new Command(algorithm.Name, $"Benchmark {algorithm.Name}.");
            foreach (var option in (Option[])[RowsOption, ColumnsOption, CommandRunner.Ranks, RepeatOption, SeedOption, DensityOption, CommandRunner.Output, .. algorithm.Options])
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

        var result = CommandRunner.OnWorld(parse.GetValue(CommandRunner.Ranks), communicator =>
        {
            var request = new BenchmarkData(rows, columns, seed, parse.GetValue(DensityOption));
            var data = run.Generate(communicator, request) ?? Generated(communicator, request);
            var context = new RankContext(communicator, [], null, isBenchmark: true);
            JsonObject last = run.Run(context, data);
            var seconds = new double[repeat];
            for (int i = 0; i < repeat; i++)
            {
                communicator.Barrier();
                long start = Stopwatch.GetTimestamp();
                last = run.Run(context, data);
                communicator.Barrier();
                seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            }

            Array.Sort(seconds);
            var json = new JsonObject
            {
                ["algorithm"] = algorithm.Name,
                ["rows"] = rows,
                ["cols"] = columns,
                ["ranks"] = communicator.Size,
                ["engine"] = communicator.Description,
                ["threadsPerRank"] = ThreadBudget.For(communicator),
                ["runs"] = repeat,
                ["medianSeconds"] = seconds.Length % 2 == 1 ? seconds[seconds.Length / 2] : (seconds[(seconds.Length / 2) - 1] + seconds[seconds.Length / 2]) / 2,
                ["minSeconds"] = seconds[0],
                ["maxSeconds"] = seconds[^1],
            };
            if (last["nIterations"] is { } iterations)
            {
                json["iterations"] = iterations.DeepClone();
            }

            return json;
        });
        if (result is not null)
        {
            CommandRunner.Emit(result, parse.GetValue(CommandRunner.Output));
        }

        return 0;
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
