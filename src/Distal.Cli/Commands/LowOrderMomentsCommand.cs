using System.CommandLine;
using System.Text.Json.Nodes;
using Distal.Algorithms;

namespace Distal.Cli.Commands;

internal sealed class LowOrderMomentsCommand : AlgorithmCommand
{
    private readonly DaalChoice<EstimatesToCompute> _estimates = new(
        "--estimates-to-compute",
        "Which moments to compute.",
        "estimatesAll",
        new Dictionary<string, EstimatesToCompute>
        {
            ["estimatesAll"] = EstimatesToCompute.All,
            ["estimatesMinMax"] = EstimatesToCompute.MinMax,
            ["estimatesMeanVariance"] = EstimatesToCompute.MeanVariance,
        });

    // daal4py's dense methods differ only in how oneDAL schedules the pass; Distal's one pass serves them all.
    private readonly DaalChoice<string> _method = new(
        "--method",
        "Computation method.",
        "defaultDense",
        new Dictionary<string, string> { ["defaultDense"] = "defaultDense", ["singlePassDense"] = "singlePassDense", ["sumDense"] = "sumDense" });

    public override string Name => "low-order-moments";

    public override string Description => "Per-column minimum, maximum, sum, sums of squares, mean, variance, standard deviation, variation.";

    public override IReadOnlyList<Option> Options => [_estimates.Option, _method.Option];

    public override AlgorithmRun Bind(ParseResult parse)
        => new MomentsRun(new LowOrderMoments { EstimatesToCompute = _estimates.Get(parse), Distributed = true });

    private sealed class MomentsRun(LowOrderMoments algorithm) : AlgorithmRun
    {
        public override bool StreamsCsv => true;

        public override JsonObject Run(RankContext context, InputTable data)
        {
            var r = data.Compute(algorithm);
            var json = new JsonObject();
            json.AddIfPresent("minimum", r.Minimum);
            json.AddIfPresent("maximum", r.Maximum);
            json.AddIfPresent("sum", r.Sum);
            json.AddIfPresent("sumSquares", r.SumSquares);
            json.AddIfPresent("sumSquaresCentered", r.SumSquaresCentered);
            json.AddIfPresent("mean", r.Mean);
            json.AddIfPresent("secondOrderRawMoment", r.SecondOrderRawMoment);
            json.AddIfPresent("variance", r.Variance);
            json.AddIfPresent("standardDeviation", r.StandardDeviation);
            json.AddIfPresent("variation", r.Variation);
            return json;
        }
    }
}
