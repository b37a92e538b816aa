using System.CommandLine;
using System.Text.Json.Nodes;
using Distal.Algorithms;
using Distal.Communication;

namespace Distal.Cli.Commands;

internal sealed class PcaCommand : AlgorithmCommand
{
    private readonly DaalChoice<PcaMethod> _method = new(
        "--method",
        "Computation method.",
        "correlationDense",
        new Dictionary<string, PcaMethod>
        {
            ["correlationDense"] = PcaMethod.CorrelationDense,
            ["defaultDense"] = PcaMethod.CorrelationDense,
            ["svdDense"] = PcaMethod.SvdDense,
        });

    private readonly Option<int> _components = new("--components", "--n-components")
    {
        Description = "Number of components (daal4py's nComponents); 0 means all.",
        DefaultValueFactory = _ => 0,
    };

    private readonly Option<string> _results = new("--results", "--results-to-compute")
    {
        Description = "daal4py's resultsToCompute: '|'-separated mean, variance, eigenvalue (eigenvalue makes pca-transform whiten), or none.",
        DefaultValueFactory = _ => "mean|variance",
    };

    private readonly Option<bool> _deterministic = new("--deterministic", "--is-deterministic")
    {
        Description = "Fix eigenvector signs: the largest-magnitude component of each is positive (oneDAL's rule).",
    };

    private readonly Option<bool> _doScale = new("--do-scale")
    {
        Description = "Scale to unit variance, i.e. PCA of the correlation matrix (default true; --do-scale false for covariance).",
        DefaultValueFactory = _ => true,
    };

    private readonly Option<bool> _isCorrelation = new("--is-correlation")
    {
        Description = "The input is a precomputed p×p correlation matrix (rank 0's is used).",
    };

    public override string Name => "pca";

    public override string Description => "Principal component analysis: eigenvalues, eigenvectors (rows), means, variances; --output gives the model pca-transform reads.";

    public override IReadOnlyList<Option> Options => [_method.Option, _components, _results, _deterministic, _doScale, _isCorrelation];

    public override bool TrainsModel => true;

    public override AlgorithmRun Bind(ParseResult parse)
    {
        int components = parse.GetValue(_components);
        if (components < 0)
        {
            throw new DistalException(FailureKind.Usage, $"--components must be at least 0, not {components}");
        }

        return new PcaRun(new Pca
        {
            Method = _method.Get(parse),
            NComponents = components,
            ResultsToCompute = ParseResults(parse.GetValue(_results)!),
            IsDeterministic = parse.GetValue(_deterministic),
            DoScale = parse.GetValue(_doScale),
            IsCorrelation = parse.GetValue(_isCorrelation),
            Distributed = true,
        });
    }

    /// <summary>Parses daal4py's resultsToCompute string, e.g. "mean|variance|eigenvalue".</summary>
    internal static PcaResultsToCompute ParseResults(string text)
    {
        var results = PcaResultsToCompute.None;
        foreach (string part in text.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            results |= part.ToLowerInvariant() switch
            {
                "mean" => PcaResultsToCompute.Mean,
                "variance" => PcaResultsToCompute.Variance,
                "eigenvalue" => PcaResultsToCompute.Eigenvalue,
                "none" => PcaResultsToCompute.None,
                _ => throw new DistalException(FailureKind.Usage, $"--results: '{part}' is not one of mean, variance, eigenvalue, none"),
            };
        }

        return results;
    }

    private sealed class PcaRun(Pca algorithm) : AlgorithmRun
    {
        /// <summary>
        /// The trace the explained-variance shares divide by: the sum of all eigenvalues when all were kept; else p
        /// for a correlation PCA (unit diagonal), or the column variances' sum; else (neither known) the kept ones'.
        /// </summary>
        private void AddTotalVariance(RankContext context, PcaResult r)
        {
            int p = r.Eigenvectors.Columns;
            context.Extras["totalVariance"] = r.Eigenvalues.Length == p ? r.Eigenvalues.Sum()
                : algorithm.DoScale || algorithm.IsCorrelation ? p
                : r.Variances?.Sum() ?? r.Eigenvalues.Sum();
            context.Extras["columns"] = p;
            context.Extras["rows"] = r.Rows;
        }

        public override JsonObject Run(RankContext context, InputTable data)
        {
            // A precomputed matrix is one whole file, not rows to split: rank 0 reads it entire and the ranks share it.
            var communicator = context.Communicator;
            var r = algorithm.IsCorrelation && communicator.Size > 1 && context.Inputs.Count == 1
                ? algorithm.Compute(communicator.Collectively(() => communicator.Rank == 0 ? DataFile.Read<double>(context.Inputs[0]) : Table<double>.Empty(data.Columns)))
                : data.Compute(algorithm);
            context.SaveModel(r.Model);
            var json = new JsonObject
            {
                ["eigenvalues"] = JsonResult.Vector(r.Eigenvalues),
                ["eigenvectors"] = JsonResult.Matrix(r.Eigenvectors),
            };
            json.AddIfPresent("means", r.Means);
            json.AddIfPresent("variances", r.Variances);
            var transform = new JsonObject();
            transform.AddIfPresent("mean", r.DataForTransform.Mean);
            transform.AddIfPresent("variance", r.DataForTransform.Variance);
            transform.AddIfPresent("eigenvalue", r.DataForTransform.Eigenvalue);
            json["dataForTransform"] = transform;
            if (context.Presentation.WantsExtras)
            {
                AddTotalVariance(context, r);
            }

            return json;
        }
    }
}
