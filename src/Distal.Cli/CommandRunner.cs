using System.CommandLine;
using System.Text.Json.Nodes;
using Distal.Cli.Commands;
using Distal.Communication;
using Distal.Data;
using Presentation = Distal.Cli.Output.Presentation;
using Screen = Distal.Cli.Output.Screen;
using Summaries = Distal.Cli.Output.Summaries;

namespace Distal.Cli;

/// <summary>
/// The pipeline every algorithm command shares: join the world (MPI under a launcher, else `--ranks` embedded ranks),
/// read the inputs collectively, run, let rank 0 write the JSON, and turn any failure into one line and an exit code.
/// </summary>
internal static class CommandRunner
{
    public static readonly Option<int> Ranks = new("--ranks")
    {
        Description = "Number of embedded ranks (threads of this process). Under mpiexec/mpirun the MPI world is used instead.",
        DefaultValueFactory = _ => 1,
    };

    public static readonly Option<string?> Output = new("--output")
    {
        Description = "Write the result as JSON to this file instead of printing it.",
    };

    public static readonly Option<string> FpType = new("--fptype")
    {
        Description = "Floating-point type the input is read as: double or float (accumulation is always in double).",
        DefaultValueFactory = _ => "double",
    };

    public static readonly Option<string?> LocalOutputDirectory = new("--local-output-dir")
    {
        Description = "Directory for per-rank matrices (Q, U, transformed rows, assignments) as DIR/<name>_<rank>.csv.",
    };

    public static readonly Option<string?> InputFormat = new("--input-format")
    {
        Description = "Format of the INPUT files: csv, npy, csr, parquet or arrow (default: by extension; .feather is arrow).",
    };

    public static readonly Option<string?> Columns = new("--columns")
    {
        Description = "Parquet or Arrow input: read only these columns, by name and in this order (--columns a,b,c). CSR input: the number of columns P.",
    };

    public static readonly Option<int?> ChunkRows = new("--chunk-rows")
    {
        Description = "Stream the input in chunks of about N rows (out of core) into algorithms that stream: moments, covariance, PCA, QR, SVD, regression and naive Bayes training.",
    };

    public static readonly Option<string?> MemoryBudget = new("--memory-budget")
    {
        Description = "Stream automatically when a rank's share of the input is larger than this (bytes, or with K, M, G); default: half the available memory.",
    };

    public static readonly Option<bool> Progress = new("--progress")
    {
        Description = "Show a progress line on stderr while reading (rank 0); the default when stderr is a terminal.",
    };

    public static readonly Option<bool> Quiet = new("--quiet")
    {
        Description = "Show no progress line.",
    };

    public static readonly Option<string?> ModelOutput = new("--model-output")
    {
        Description = "Save the trained model as JSON (\"format\": \"distal-model\") to this file; prediction and transform read it with --model.",
    };

    public static readonly Option<string?> Timeout = new("--timeout")
    {
        Description = "Fail (and under MPI abort the job) when a rank waits longer than this many seconds in one collective: a stopped or stuck rank becomes an error instead of a hang. Default: DISTAL_TIMEOUT, else no limit.",
    };

    public static readonly Option<string?> Format = new("--format")
    {
        Description = "table: a readable summary (the default when standard output is a terminal); json: the full result (the default otherwise).",
    };

    public static readonly Option<string?> Plot = new("--plot")
    {
        Description = "Draw a picture of the result to FILE.png or FILE.svg: pca (scree plot), kmeans (clusters), covariance (correlation heat map), linear/ridge-regression-training (predicted against actual).",
    };

    /// <summary>The most embedded ranks `--ranks` accepts: each is a thread with its own copy of the partials.</summary>
    public const int MaximumRanks = 4096;

    public static readonly Argument<string[]> Inputs = new("INPUT")
    {
        Description = "Headerless numeric CSV (or .npy) files: one per rank, or one file split by rows across the ranks.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    static CommandRunner()
    {
        FpType.AcceptOnlyFromAmong("double", "float");
    }

    public static Command Build(AlgorithmCommand algorithm)
    {
        var command = new Command(algorithm.Name, algorithm.Description);
        command.Arguments.Add(Inputs);
        foreach (var option in (Option[])[Ranks, Output, Format, Plot, FpType, InputFormat, Columns, Progress, Quiet, LocalOutputDirectory, Timeout, .. algorithm.Options])
        {
            command.Options.Add(option);
        }

        // k-means has its own multi-pass out-of-core mode with its own --chunk-rows.
        if (!algorithm.Options.Any(o => o.Name == ChunkRows.Name))
        {
            command.Options.Add(ChunkRows);
            command.Options.Add(MemoryBudget);
        }

        if (algorithm.TrainsModel)
        {
            command.Options.Add(ModelOutput);
        }

        command.SetAction(parse => Execute(algorithm, parse));
        return command;
    }

    private static int Execute(AlgorithmCommand algorithm, ParseResult parse)
    {
        return Guard(() =>
        {
            string[] inputs = parse.GetValue(Inputs) ?? [];
            CheckNoUnknownOptions(inputs);
            ApplyTimeout(parse);
            var run = algorithm.Bind(parse);
            var presentation = PresentationOf(algorithm, parse);
            if (run.ReadsData && inputs.Length == 0)
            {
                throw new DistalException(FailureKind.Usage, $"{algorithm.Name}: no INPUT file given");
            }

            bool asFloat = parse.GetValue(FpType) == "float";
            string? output = NonEmpty(parse, Output);
            string? localDirectory = NonEmpty(parse, LocalOutputDirectory);
            string? modelOutput = algorithm.TrainsModel ? NonEmpty(parse, ModelOutput) : null;
            var source = InputSource.From(parse).For(inputs, parse.GetValue(Columns));
            bool sharedChunking = !algorithm.Options.Any(o => o.Name == ChunkRows.Name);
            int? chunkRows = sharedChunking ? parse.GetValue(ChunkRows) : null;
            long? budget = sharedChunking ? ParseBytes(parse.GetValue(MemoryBudget)) : null;
            if (chunkRows is < 1)
            {
                throw new DistalException(FailureKind.Usage, $"--chunk-rows must be at least 1, not {chunkRows}");
            }

            int ranks = parse.GetValue(Ranks);
            var progress = (ProgressLine.Wanted(parse.GetValue(Progress), parse.GetValue(Quiet)), ProgressLine.Forced(parse.GetValue(Progress), parse.GetValue(Quiet)));
            System.Text.Json.Nodes.JsonObject extras = [];
            OnWorld(ranks, communicator =>
            {
                var context = new RankContext(communicator, inputs, localDirectory, modelOutput) { Presentation = Agree(communicator, presentation) };
                context.CheckOutputs(output);
                if (communicator.Rank == 0)
                {
                    extras = context.Extras;
                }

                InputTable? data = run.ReadsData
                    ? Read(communicator, inputs, asFloat, source, () => new StreamPlan(communicator, inputs, asFloat, source, chunkRows, budget, ranks, progress, run.StreamsCsv))
                    : null;
                return run.Run(context, data!);
            }, result => Present(algorithm.Name, result, extras, output, presentation));
            return 0;
        });
    }

    /// <summary>Reads `--format` and `--plot` (a usage error for a command that draws nothing, or a bad extension).</summary>
    private static Presentation PresentationOf(AlgorithmCommand algorithm, ParseResult parse)
    {
        string? plot = Presentation.CheckPlotPath(NonEmpty(parse, Plot));
        if (plot is not null)
        {
            Plots.PlotFile.CheckSupported(algorithm.Name);
        }

        return new Presentation(Presentation.ResolveTable(parse.GetValue(Format), Presentation.StdoutIsTerminal()), plot);
    }

    /// <summary>
    /// Rank 0's presentation on every rank: whether a table is the default depends on each process's standard output
    /// (under mpiexec only rank 0's may be a terminal), and the extras a table needs are computed collectively, so
    /// every rank must take rank 0's choice.
    /// </summary>
    private static Presentation Agree(Communicator communicator, Presentation presentation)
    {
        Span<int> table = [presentation.Table ? 1 : 0];
        communicator.Broadcast(table, 0);
        return presentation with { Table = table[0] == 1 };
    }

    /// <summary>
    /// Rank 0: the JSON to `--output` (or stdout when no table is shown), the table on stdout, the picture to `--plot`.
    /// </summary>
    private static void Present(string command, System.Text.Json.Nodes.JsonObject result, System.Text.Json.Nodes.JsonObject extras, string? output, Presentation presentation)
    {
        if (output is not null || !presentation.Table)
        {
            Emit(result, output);
        }

        if (presentation.Table)
        {
            Summaries.Write(command, result, extras, Console.Out, Screen.Current());
        }

        if (presentation.PlotPath is { } plot)
        {
            Plots.PlotFile.Write(command, result, extras, plot);
            Console.Error.WriteLine($"distal: wrote {plot}");
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> on every rank of the world and hands rank 0's result to <paramref name="present"/>,
    /// before the world ends.
    /// </summary>
    public static void OnWorld(int ranks, Func<Communicator, JsonObject> body, Action<JsonObject> present)
    {
        if (ranks < 1 || ranks > MaximumRanks)
        {
            throw new DistalException(FailureKind.Usage, $"--ranks must be between 1 and {MaximumRanks}, not {ranks}");
        }

        using var session = Spmd.Init();
        if (session.Size > 1)
        {
            // Open MPI's mpirun kills every rank as soon as one exits non-zero: a rank that wrote its error line only
            // after the session's dispose (MPI_Finalize) could be killed before writing it. So the line comes first.
            JsonObject? result = null;
            int exitCode = Guard(() =>
            {
                try
                {
                    result = OnRank(session.Communicator);
                }
                catch (Exception e) when (!IsAgreed(e))
                {
                    // The other ranks cannot know about this error and may wait for this rank in a collective: the
                    // job ends here (one line, MPI_Abort) rather than hanging in MPI_Finalize.
                    session.Abort(e, FailFast.ExitCodeOf(e));
                }

                return 0;
            });
            if (exitCode == 0)
            {
                // Every rank got here (the body's success is agreed). Rank 0 writes the result, and the others wait
                // for it: MPI_Finalize can hang in some MPI stacks and is then cut short (MpiRuntime.ReleaseWorld),
                // which must not happen before the output is complete.
                if (session.Rank == 0)
                {
                    exitCode = Guard(() =>
                    {
                        present(result!);
                        return 0;
                    });
                }

                session.Communicator.Barrier();
            }

            // The exit code the process ends with even if MPI_Finalize has to be cut short.
            Environment.ExitCode = exitCode;
            if (exitCode != 0)
            {
                throw new ReportedFailureException(exitCode);
            }

            return;
        }

        present(ranks == 1 ? OnRank(session.Communicator) : Spmd.RunLocal(ranks, s => OnRank(s.Communicator))[0]);

        // Only rank 0's result is printed, so the other ranks skip building its arrays.
        JsonObject OnRank(Communicator communicator) => JsonResult.ForRank(communicator.Rank, () => body(communicator));
    }

    /// <summary>A size in bytes, with an optional K, M or G suffix (powers of 1024); null when not given.</summary>
    public static long? ParseBytes(string? text)
    {
        if (text is null)
        {
            return null;
        }

        string digits = text.TrimEnd('B', 'b');
        long unit = 1;
        if (digits.Length > 0 && "KkMmGg".Contains(digits[^1], StringComparison.Ordinal))
        {
            unit = char.ToUpperInvariant(digits[^1]) switch { 'K' => 1L << 10, 'M' => 1L << 20, _ => 1L << 30 };
            digits = digits[..^1];
        }

        return double.TryParse(digits, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double value) && value > 0
            ? (long)(value * unit)
            : throw new DistalException(FailureKind.Usage, $"--memory-budget '{text}': give a size such as 500M or 2G");
    }

    /// <summary>True when every rank raises <paramref name="error"/>: the collective error protocol agreed it.</summary>
    private static bool IsAgreed(Exception error) => error is DistalException { Rank: not null } or ReportedFailureException;

    /// <summary>CSR files are read whole (sparse); dense input goes through the stream plan (read lazily, streamed when asked).</summary>
    public static InputTable Read(Communicator communicator, IReadOnlyList<string> inputs, bool asFloat, InputSource source, Func<StreamPlan> plan)
        => source.Csr ? SparseInput.Read(communicator, inputs, asFloat, source.CsrWidth) : new InputTable(plan());

    /// <summary>Prints the result, or writes it to <paramref name="outputPath"/> under a temporary name renamed when complete.</summary>
    public static void Emit(JsonObject result, string? outputPath)
    {
        string text = JsonResult.Serialize(result);
        if (outputPath is null)
        {
            Console.Out.WriteLine(text);
        }
        else
        {
            byte[] bytes = new System.Text.UTF8Encoding(false).GetBytes(text + Environment.NewLine);
            OutputFile.Write(outputPath, stream => stream.Write(bytes));
        }
    }

    /// <summary>
    /// INPUT takes any number of words, so a mistyped option (`--bogus`) would otherwise be taken for a file name and
    /// reported as a wrong file count. A word starting with '-' that is not an existing file is an unknown option.
    /// </summary>
    public static void CheckNoUnknownOptions(IEnumerable<string> inputs)
    {
        foreach (string input in inputs)
        {
            if (input.StartsWith('-') && input.Length > 1 && !File.Exists(input))
            {
                throw new DistalException(FailureKind.Usage, $"unknown option '{Excerpt.Of(input)}' (see --help)");
            }
        }
    }

    /// <summary>Sets the process's collective timeout from `--timeout` (else DISTAL_TIMEOUT applies).</summary>
    public static void ApplyTimeout(ParseResult parse)
    {
        if (parse.GetValue(Timeout) is { } text)
        {
            Spmd.CollectiveTimeout = CollectiveTimeout.Parse(text, "--timeout");
        }
        else
        {
            // Read now, so a bad DISTAL_TIMEOUT is a usage error before any work.
            _ = Spmd.CollectiveTimeout;
        }
    }

    /// <summary>The value of a path option; an empty value is a usage error rather than a path.</summary>
    private static string? NonEmpty(ParseResult parse, Option<string?> option)
    {
        string? value = parse.GetValue(option);
        return value is not null && string.IsNullOrWhiteSpace(value)
            ? throw new DistalException(FailureKind.Usage, $"{option.Name} needs a path, not an empty string")
            : value;
    }

    /// <summary>Runs a command body; a failure becomes one line on stderr and a non-zero exit code, never a stack trace.</summary>
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (ReportedFailureException e)
        {
            return e.ExitCode;
        }
        catch (DistalException e)
        {
            Console.Error.WriteLine($"distal: {e.Message}");
            return e.Kind == FailureKind.Usage ? 2 : 1;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"distal: {e.Message}");
            return 1;
        }
        catch (UnauthorizedAccessException e)
        {
            Console.Error.WriteLine($"distal: {e.Message}");
            return 1;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("DISTAL_DEBUG") is null)
        {
            Console.Error.WriteLine($"distal: internal error: {ErrorAgreement.Describe(e)} (set DISTAL_DEBUG=1 for details)");
            return 70;
        }
    }
}
