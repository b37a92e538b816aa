using System.CommandLine;
using System.Text.Json.Nodes;
using Distal.Algorithms;

namespace Distal.Cli.Commands;

internal sealed class QrCommand : AlgorithmCommand
{
    private readonly DaalChoice<string> _method = new(
        "--method",
        "Computation method (TSQR).",
        "defaultDense",
        new Dictionary<string, string> { ["defaultDense"] = "defaultDense" });

    public override string Name => "qr";

    public override string Description => "Thin QR decomposition by TSQR: matrixR (non-negative diagonal) in the JSON, each rank's rows of Q as matrixQ_<rank>.csv with --local-output-dir.";

    public override IReadOnlyList<Option> Options => [_method.Option];

    public override AlgorithmRun Bind(ParseResult parse)
    {
        _ = _method.Get(parse);
        return new QrRun(new Qr { Distributed = true });
    }

    private sealed class QrRun(Qr algorithm) : AlgorithmRun
    {
        public override JsonObject Run(RankContext context, InputTable data)
        {
            var r = data.Compute(algorithm);
            if (r.MatrixQ is not null)
            {
                context.WriteLocal("matrixQ", r.MatrixQ);
            }
            else if (context.LocalOutputDirectory is not null && data.Streaming is { } stream)
            {
                // Streaming kept only R: Q = X·R⁻¹ needs the rows again.
                stream.AnnounceSecondPass("qr", "Q");
                context.WriteLocal("matrixQ", stream.MapRows(r.FormQ));
            }
            return new JsonObject { ["matrixR"] = JsonResult.Matrix(r.MatrixR) };
        }
    }
}
