using System.CommandLine;
using System.Text.Json.Nodes;
using Distal.Algorithms;

namespace Distal.Cli.Commands;

internal sealed class KMeansInitCommand : AlgorithmCommand
{
    private readonly KMeansInitOptions _init = new("--method", "deterministicDense");

    public override string Name => "kmeans-init";

    public override string Description => "Initial k-means centroids (deterministicDense, randomDense, plusPlusDense, parallelPlusDense); the same on any number of ranks.";

    public override IReadOnlyList<Option> Options => _init.All;

    public override AlgorithmRun Bind(ParseResult parse) => new InitRun(_init.Bind(parse));

    private sealed class InitRun(KMeansInit algorithm) : AlgorithmRun
    {
        public override JsonObject Run(RankContext context, InputTable data)
        {
            return new JsonObject { ["centroids"] = JsonResult.Matrix(data.Compute(algorithm).Centroids) };
        }
    }
}

/// <summary>The kmeans-init options, shared by `kmeans-init` (as --method) and `kmeans` (as --init-method).</summary>
internal sealed class KMeansInitOptions
{
    private readonly DaalChoice<KMeansInitMethod> _method;

    private readonly Option<int> _clusters = new("--clusters") { Description = "Number of clusters k (daal4py's nClusters).", Required = true };

    private readonly Option<long> _seed = new("--seed") { Description = "Seed of the random stream (randomDense, plusPlusDense, parallelPlusDense).", DefaultValueFactory = _ => 777 };

    private readonly Option<int> _trials = new("--n-trials") { Description = "Greedy trials per centroid for k-means++ and k-means‖'s last step (daal4py's nTrials).", DefaultValueFactory = _ => 1 };

    private readonly Option<double> _oversampling = new("--oversampling-factor") { Description = "k-means‖: candidates per round as a fraction of k.", DefaultValueFactory = _ => 0.5 };

    private readonly Option<int> _rounds = new("--n-rounds") { Description = "k-means‖: number of oversampling rounds.", DefaultValueFactory = _ => 5 };

    public KMeansInitOptions(string methodOption, string defaultMethod)
    {
        var methods = new Dictionary<string, KMeansInitMethod>
        {
            ["deterministicDense"] = KMeansInitMethod.DeterministicDense,
            ["defaultDense"] = KMeansInitMethod.DeterministicDense,
            ["randomDense"] = KMeansInitMethod.RandomDense,
            ["plusPlusDense"] = KMeansInitMethod.PlusPlusDense,
            ["parallelPlusDense"] = KMeansInitMethod.ParallelPlusDense,
        };
        _method = new DaalChoice<KMeansInitMethod>(methodOption, "Initialisation method.", defaultMethod, methods);
    }

    public Option<int> Clusters => _clusters;

    public Option<string> Method => _method.Option;

    public IReadOnlyList<Option> All => [_clusters, _method.Option, _seed, _trials, _oversampling, _rounds];

    /// <summary>A factory of configured initialisations (one per rank).</summary>
    /// <summary>The initialisation the options describe, distributed over the rank's session.</summary>
    public KMeansInit Bind(ParseResult parse)
    {
        int clusters = parse.GetValue(_clusters);
        var method = _method.Get(parse);
        long seed = parse.GetValue(_seed);
        int trials = parse.GetValue(_trials);
        double oversampling = parse.GetValue(_oversampling);
        int rounds = parse.GetValue(_rounds);
        return new KMeansInit(clusters, method) { Seed = seed, NTrials = trials, OversamplingFactor = oversampling, NRounds = rounds, Distributed = true };
    }
}
