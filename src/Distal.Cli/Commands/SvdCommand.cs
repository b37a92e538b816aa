using System.CommandLine;
using System.Text.Json.Nodes;
using Distal.Algorithms;

namespace Distal.Cli.Commands;

internal sealed class SvdCommand : AlgorithmCommand
{
    private static readonly Dictionary<string, SingularMatrixOutput> Outputs = new()
    {
        ["requiredInPackedForm"] = SingularMatrixOutput.RequiredInPackedForm,
        ["notRequired"] = SingularMatrixOutput.NotRequired,
    };

    private readonly DaalChoice<string> _method = new(
        "--method",
        "Computation method (TSQR, then the SVD of R).",
        "defaultDense",
        new Dictionary<string, string> { ["defaultDense"] = "defaultDense" });

    private readonly DaalChoice<SingularMatrixOutput> _left = new(
        "--left-singular-matrix", "Compute U (each rank's rows, written as leftSingularMatrix_<rank>.csv with --local-output-dir).", "requiredInPackedForm", Outputs);

    private readonly DaalChoice<SingularMatrixOutput> _right = new(
        "--right-singular-matrix", "Return Vᵀ.", "requiredInPackedForm", Outputs);

    public override string Name => "svd";

    public override string Description => "Thin singular value decomposition: singularValues and rightSingularMatrix (Vᵀ) in the JSON, U per rank.";

    public override IReadOnlyList<Option> Options => [_method.Option, _left.Option, _right.Option];

    public override AlgorithmRun Bind(ParseResult parse)
    {
        _ = _method.Get(parse);
        return new SvdRun(new Svd { LeftSingularMatrix = _left.Get(parse), RightSingularMatrix = _right.Get(parse), Distributed = true });
    }

    private sealed class SvdRun(Svd algorithm) : AlgorithmRun
    {
        public override JsonObject Run(RankContext context, InputTable data)
        {
            var r = data.Compute(algorithm);
            if (r.LeftSingularMatrix is not null)
            {
                context.WriteLocal("leftSingularMatrix", r.LeftSingularMatrix);
            }
            else if (algorithm.LeftSingularMatrix != SingularMatrixOutput.NotRequired && context.LocalOutputDirectory is not null && data.Streaming is { } stream)
            {
                // Streaming kept only R's decomposition: U = X·V·diag(s)⁻¹ needs the rows again.
                stream.AnnounceSecondPass("svd", "U");
                context.WriteLocal("leftSingularMatrix", stream.MapRows(r.FormLeftSingularMatrix));
            }

            var json = new JsonObject { ["singularValues"] = JsonResult.Vector(r.SingularValues) };
            if (r.RightSingularMatrix is not null)
            {
                json["rightSingularMatrix"] = JsonResult.Matrix(r.RightSingularMatrix);
            }

            return json;
        }
    }
}
