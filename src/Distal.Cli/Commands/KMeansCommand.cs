using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Distal.Algorithms;
using Distal.Communication;

namespace Distal.Cli.Commands;

internal sealed class KMeansCommand : AlgorithmCommand
{
    /// <summary>Runs shorter than this print no progress.</summary>
    private static readonly TimeSpan ProgressAfter = TimeSpan.FromSeconds(1);

    private readonly KMeansInitOptions _init = new("--init-method", "plusPlusDense");

    private readonly Option<int> _maxIterations = new("--max-iterations") { Description = "Maximum number of Lloyd iterations (daal4py's maxIterations).", DefaultValueFactory = _ => 300 };

    private readonly Option<double> _accuracyThreshold = new("--accuracy-threshold") { Description = "Stop when the objective changes by less than this between iterations.", DefaultValueFactory = _ => 0.0 };

    private readonly Option<string?> _centroids = new("--centroids") { Description = "Initial centroids: CSV rows, or a JSON result holding \"centroids\" (instead of --init-method)." };

    private readonly Option<bool> _outOfCore = new("--out-of-core") { Description = "Re-read the INPUT files on every iteration instead of holding the rows in memory (needs --centroids; one file per rank, or any number of files on one rank)." };

    private readonly Option<int> _chunkRows = new("--chunk-rows") { Description = "Rows per chunk with --out-of-core.", DefaultValueFactory = _ => 1 << 16 };

    public override string Name => "kmeans";

    public override string Description => "K-means clustering (Lloyd): centroids, objectiveFunction, nIterations and assignments (also per rank with --local-output-dir).";

    public override IReadOnlyList<Option> Options => [.. _init.All, _maxIterations, _accuracyThreshold, _centroids, _outOfCore, _chunkRows];

    public override bool TrainsModel => true;

    public override AlgorithmRun Bind(ParseResult parse)
    {
        string? centroidsPath = parse.GetValue(_centroids);
        var methodResult = parse.GetResult(_init.Method);
        if (centroidsPath is not null && methodResult is { Implicit: false })
        {
            throw new DistalException(FailureKind.Usage, "kmeans: give either --centroids or --init-method, not both");
        }

        bool outOfCore = parse.GetValue(_outOfCore);
        if (outOfCore && centroidsPath is null)
        {
            throw new DistalException(FailureKind.Usage, "kmeans: --out-of-core needs --centroids (the initialisations need the rows in memory)");
        }

        if (outOfCore && parse.GetValue(CommandRunner.Plot) is not null)
        {
            throw new DistalException(FailureKind.Usage, "kmeans --plot needs the rows in memory (a PCA of them and a sample): run without --out-of-core");
        }

        if (parse.GetValue(_chunkRows) is var chunkRows and < 1)
        {
            throw new DistalException(FailureKind.Usage, $"--chunk-rows must be at least 1, not {chunkRows}");
        }

        var settings = new LloydSettings(parse.GetValue(_init.Clusters), parse.GetValue(_maxIterations), parse.GetValue(_accuracyThreshold), outOfCore ? parse.GetValue(_chunkRows) : 0);
        var start = Stopwatch.GetTimestamp();
        var algorithm = new KMeans(settings.Clusters, settings.MaxIterations)
        {
            AccuracyThreshold = settings.AccuracyThreshold,
            Distributed = true,
            Observer = iteration =>
            {
                if (Spmd.Current is null or { Rank: 0 })
                {
                    Report(iteration, start);
                }
            },
        };
        return new LloydRun(algorithm, _init.Bind(parse), settings, centroidsPath);
    }

    /// <summary>Centroids from CSV rows, or from a k-means model or the "centroids" of a kmeans/kmeans-init JSON result.</summary>
    private static Table<double> ReadCentroids(string path)
        => path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? KMeansModel.Load(path).Centroids : DataFile.ReadCsv<double>(path);

    private static void Report(LloydIteration iteration, long start)
    {
        if (Stopwatch.GetElapsedTime(start) < ProgressAfter)
        {
            return;
        }

        var c = CultureInfo.InvariantCulture;
        string reseeded = iteration.Reseeded ? ", empty clusters re-seeded" : "";
        Console.Error.WriteLine($"kmeans: iteration {iteration.Iteration.ToString(c)}: objective {iteration.Objective.ToString("G10", c)}, {iteration.Changed.ToString(c)} rows changed cluster{reseeded}");
    }

    /// <summary>The Lloyd options; <see cref="ChunkRows"/> &gt; 0 means out of core.</summary>
    private sealed record LloydSettings(int Clusters, int MaxIterations, double AccuracyThreshold, int ChunkRows);

    private sealed class LloydRun(KMeans algorithm, KMeansInit init, LloydSettings settings, string? centroidsPath) : AlgorithmRun
    {
        public override bool ReadsData => settings.ChunkRows == 0;

        public override JsonObject Run(RankContext context, InputTable data)
        {
            var communicator = context.Communicator;
            // Every rank reads the centroids file inside the world, so a bad file is one agreed error, never a hang.
            var initial = centroidsPath is null ? null : communicator.Collectively(() => ReadCentroids(centroidsPath));
            KMeansResult result = settings.ChunkRows > 0
                ? algorithm.ComputeOutOfCore(FilesOfThisRank(context), initial!, settings.ChunkRows)
                : data.Compute(algorithm, initial ?? data.Compute(init).Centroids);
            context.SaveModel(result.Model);

            var json = new JsonObject
            {
                ["centroids"] = JsonResult.Matrix(result.Centroids),
                ["objectiveFunction"] = result.ObjectiveFunction,
                ["nIterations"] = result.NIterations,
            };

            if (context.Presentation.WantsExtras && !context.IsBenchmark)
            {
                Output.ClusterView.AddSizes(context.Extras, communicator, result.Assignments, result.Centroids.Rows);
                if (context.Presentation.PlotPath is not null)
                {
                    Output.ClusterView.AddPicture(context.Extras, communicator, data, result);
                }
            }

            if (context.LocalOutputDirectory is not null)
            {
                var local = Table<double>.Create(result.Assignments.Length, 1);
                for (int i = 0; i < result.Assignments.Length; i++)
                {
                    local[i, 0] = result.Assignments[i];
                }

                context.WriteLocal("assignments", local);
            }

            if (context.IsBenchmark)
            {
                return json;
            }

            // Ranks hold consecutive global rows, so rank order is global row order.
            int[] all = communicator.GatherV<int>(result.Assignments, 0, out _);
            if (communicator.Rank == 0)
            {
                json["assignments"] = JsonResult.Vector(all);
            }

            return json;
        }

        /// <summary>Out of core, files are not split by bytes: rank r streams file r, or a single rank streams them all.</summary>
        private static IReadOnlyList<string> FilesOfThisRank(RankContext context)
        {
            int size = context.Communicator.Size;
            if (context.Inputs.Count == size)
            {
                return [context.Inputs[context.Communicator.Rank]];
            }

            if (size == 1 && context.Inputs.Count > 0)
            {
                return context.Inputs;
            }

            throw new DistalException(FailureKind.Usage, $"kmeans --out-of-core: {context.Inputs.Count} input files for {size} ranks; give one file per rank");
        }
    }
}
