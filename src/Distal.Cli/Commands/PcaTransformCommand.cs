using System.CommandLine;
using System.Text.Json.Nodes;
using Distal.Algorithms;

namespace Distal.Cli.Commands;

internal sealed class PcaTransformCommand : AlgorithmCommand
{
    private readonly Option<string> _model = new("--model")
    {
        Description = "The JSON written by `distal pca --output FILE` (eigenvectors and dataForTransform).",
        Required = true,
    };

    private readonly Option<int> _components = new("--components", "--n-components")
    {
        Description = "Number of components kept (daal4py's nComponents); 0 means every eigenvector of the model.",
        DefaultValueFactory = _ => 0,
    };

    public override string Name => "pca-transform";

    public override string Description => "Projects rows onto principal components (centering, scaling and whitening as the model's dataForTransform says); each rank's rows as transformedData_<rank>.csv with --local-output-dir.";

    public override IReadOnlyList<Option> Options => [_model, _components];

    public override AlgorithmRun Bind(ParseResult parse)
    {
        string path = parse.GetValue(_model)!;
        var model = JsonResult.Read(path);
        var eigenvectors = MatrixOf(model["eigenvectors"], path, "eigenvectors") ?? throw new DistalException(FailureKind.Input, $"{path}: no eigenvectors");
        var transform = model["dataForTransform"];
        var data = new PcaTransformData(
            VectorOf(transform?["mean"], path, "mean"),
            VectorOf(transform?["variance"], path, "variance"),
            VectorOf(transform?["eigenvalue"], path, "eigenvalue"));
        int components = parse.GetValue(_components);
        if (components < 0 || components > eigenvectors.Rows)
        {
            throw new DistalException(FailureKind.Usage, $"--components must be between 0 and {eigenvectors.Rows}, not {components}");
        }

        try
        {
            // Validates the model's shapes once, before any rank starts.
            _ = new PcaTransform(eigenvectors, data);
            return new TransformRun(eigenvectors, data, components);
        }
        catch (ArgumentException e)
        {
            throw new DistalException(FailureKind.Input, $"{path}: {e.Message}");
        }
    }

    private static double[]? VectorOf(JsonNode? node, string path, string name)
    {
        if (node is null)
        {
            return null;
        }

        try
        {
            return node.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new DistalException(FailureKind.Input, $"{path}: {name} is not an array of numbers");
        }
    }

    private static Table<double>? MatrixOf(JsonNode? node, string path, string name)
    {
        if (node is null)
        {
            return null;
        }

        try
        {
            var rows = node.AsArray().Select(row => VectorOf(row, path, name)!).ToArray();
            return Table.FromRows(rows);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            throw new DistalException(FailureKind.Input, $"{path}: {name} is not a matrix of numbers");
        }
    }

    private sealed class TransformRun(Table<double> eigenvectors, PcaTransformData transformData, int components) : AlgorithmRun
    {
        public override JsonObject Run(RankContext context, InputTable data)
        {
            var transform = new PcaTransform(eigenvectors, transformData) { NComponents = components, Distributed = true, Communicator = context.Communicator };
            var r = data.Compute(transform);
            context.WriteLocal("transformedData", r.TransformedData);
            return new JsonObject
            {
                ["rows"] = context.Communicator.Allreduce((long)r.TransformedData.Rows, Distal.Communication.ReduceOperation.Sum),
                ["components"] = r.TransformedData.Columns,
            };
        }
    }
}
