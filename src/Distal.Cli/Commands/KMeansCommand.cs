using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Distal.Algorithms;
using Distal.Communication;

namespace Distal.Cli.Commands;

internal sealed class KMeansCommand : AlgorithmCommand
{
    private readonly KMeansInitOptions _init = new("--init-method", "plusPlusDense");

    private readonly Option<int> _maxIterations = new("--max-iterations") { Description = "Maximum number of Lloyd iterations (daal4py's maxIterations).", DefaultValueFactory = _ => 300 };

    private readonly Option<double> _accuracyThreshold = new("--accuracy-threshold") { Description = "Stop when the objective changes by less than this between iterations.", DefaultValueFactory = _ => 0.0 };

    private readonly Option<string?> _centroids = new("--centroids") { Description = "Initial centroids: CSV rows, or a JSON result holding \"centroids\" (instead of --init-method)." };

    private readonly Option<bool> _outOfCore = new("--out-of-core") { Description = "Re-read the INPUT on every iteration instead of holding the rows in memory (needs --centroids); the same as --chunk-rows 65536 unless --chunk-rows is given." };

    public override string Name => "kmeans";

    public override string Description => "K-means clustering (Lloyd): centroids, objectiveFunction, nIterations and assignments (also per rank with --local-output-dir).";

    public override IReadOnlyList<Option> Options => [.. _init.All, _maxIterations, _accuracyThreshold, _centroids, _outOfCore];

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
        foreach (var (asked, option) in new[] { (outOfCore, "--out-of-core"), (parse.GetValue(CommandRunner.ChunkRows) is > 0, "--chunk-rows") })
        {
            if (asked && centroidsPath is null)
            {
                throw new DistalException(FailureKind.Usage, $"kmeans: {option} needs --centroids (the initialisations need the rows in memory)");
            }
        }

        if ((outOfCore || parse.GetValue(CommandRunner.ChunkRows) is > 0) && parse.GetValue(CommandRunner.Plot) is not null)
        {
            throw new DistalException(FailureKind.Usage, $"kmeans --plot needs the rows in memory (a PCA of them and a sample): run without {(outOfCore ? "--out-of-core" : "--chunk-rows")}");
        }

        var algorithm = new KMeans(parse.GetValue(_init.Clusters), parse.GetValue(_maxIterations))
        {
            AccuracyThreshold = parse.GetValue(_accuracyThreshold),
            Distributed = true,
        };
        var run = new LloydRun(algorithm, _init.Bind(parse), outOfCore, centroidsPath);

        // Called on every rank; only rank 0 has a progress line (the embedded ranks share this algorithm object).
        algorithm.Observer = iteration =>
        {
            if (Spmd.Current is null or { Rank: 0 })
            {
                run.Status?.Show(Describe(iteration));
            }
        };
        return run;
    }

    /// <summary>Centroids from CSV rows, or from a k-means model or the "centroids" of a kmeans/kmeans-init JSON result.</summary>
    private static Table<double> ReadCentroids(string path)
        => path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? KMeansModel.Load(path).Centroids : DataFile.ReadCsv<double>(path);

    private static string Describe(LloydIteration iteration)
    {
        var c = CultureInfo.InvariantCulture;
        string reseeded = iteration.Reseeded ? ", empty clusters re-seeded" : "";
        return $"iteration {iteration.Iteration.ToString(c)}, objective {iteration.Objective.ToString("G10", c)}, {iteration.Changed.ToString(c)} rows changed cluster{reseeded}";
    }

    private sealed class LloydRun(KMeans algorithm, KMeansInit init, bool outOfCore, string? centroidsPath) : AlgorithmRun
    {
        /// <summary>Rank 0's iteration line while it runs (null when progress is not shown).</summary>
        public ProgressLine? Status { get; private set; }

        public override JsonObject Run(RankContext context, InputTable data)
        {
            var communicator = context.Communicator;
            // Every rank reads the centroids file inside the world, so a bad file is one agreed error, never a hang.
            var initial = centroidsPath is null ? null : communicator.Collectively(() => ReadCentroids(centroidsPath));
            KMeansResult result;

            // Only rank 0 touches Status: the embedded ranks run on one LloydRun.
            ProgressLine? status = communicator.Rank == 0 ? data.Plan?.StartStatus("kmeans") : null;
            if (status is not null)
            {
                Status = status;
            }

            try
            {
                // Streamed (--chunk-rows, --out-of-core, or a share over the memory budget): every iteration re-reads the rows.
                var stream = initial is null ? null : data.Streaming ?? (outOfCore ? data.Plan : null);
                result = stream is not null ? stream.Lloyd(algorithm, initial!)
                    : data.Compute(algorithm, initial ?? data.Compute(init).Centroids);
            }
            finally
            {
                if (status is not null)
                {
                    Status = null;
                    status.Dispose();
                }
            }

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
    }
}
