using System.CommandLine;
using System.Text.Json.Nodes;
using Distal.Algorithms;

namespace Distal.Cli.Commands;

internal sealed class CovarianceCommand : AlgorithmCommand
{
    private readonly DaalChoice<OutputMatrixType> _outputMatrixType = new(
        "--output-matrix-type",
        "Covariance or correlation matrix.",
        "covarianceMatrix",
        new Dictionary<string, OutputMatrixType>
        {
            ["covarianceMatrix"] = OutputMatrixType.CovarianceMatrix,
            ["correlationMatrix"] = OutputMatrixType.CorrelationMatrix,
        });

    // daal4py's dense methods differ only in how oneDAL schedules the pass; Distal's one pass serves them all.
    private readonly DaalChoice<string> _method = new(
        "--method",
        "Computation method.",
        "defaultDense",
        new Dictionary<string, string> { ["defaultDense"] = "defaultDense", ["singlePassDense"] = "singlePassDense", ["sumDense"] = "sumDense" });

    private readonly Option<bool> _bias = new("--bias") { Description = "Divide by n instead of n − 1." };

    private readonly Option<bool> _assumeCentered = new("--assume-centered") { Description = "Treat the data as centered (cross-products about zero)." };

    public override string Name => "covariance";

    public override string Description => "Covariance or correlation matrix and column means.";

    public override IReadOnlyList<Option> Options => [_outputMatrixType.Option, _method.Option, _bias, _assumeCentered];

    public override AlgorithmRun Bind(ParseResult parse) => new CovarianceRun(new Covariance
    {
        OutputMatrixType = _outputMatrixType.Get(parse),
        Bias = parse.GetValue(_bias),
        AssumeCentered = parse.GetValue(_assumeCentered),
        Distributed = true,
    });

    private sealed class CovarianceRun(Covariance algorithm) : AlgorithmRun
    {
        public override bool StreamsCsv => true;

        public override JsonObject Run(RankContext context, InputTable data)
        {
            var r = data.Compute(algorithm);
            var json = new JsonObject();
            if (r.Covariance is not null)
            {
                json["covariance"] = JsonResult.Matrix(r.Covariance);
            }

            if (r.Correlation is not null)
            {
                json["correlation"] = JsonResult.Matrix(r.Correlation);
            }

            json["mean"] = JsonResult.Vector(r.Mean);
            return json;
        }
    }
}
