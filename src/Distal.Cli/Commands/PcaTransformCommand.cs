using System.CommandLine;
using System.Text.Json.Nodes;
using Distal.Algorithms;

namespace Distal.Cli.Commands;

internal sealed class PcaTransformCommand : AlgorithmCommand
{
    private readonly Option<string> _model = new("--model")
    {
        Description = "The PCA model: `distal pca --model-output FILE` (or the JSON of `distal pca --output FILE`).",
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
        int components = parse.GetValue(_components);
        if (components < 0)
        {
            throw new DistalException(FailureKind.Usage, $"--components must be at least 0, not {components}");
        }

        return new TransformRun(parse.GetValue(_model)!, components);
    }

    private sealed class TransformRun(string modelPath, int components) : AlgorithmRun
    {
        public override JsonObject Run(RankContext context, InputTable data)
        {
            // Every rank reads the model inside the world, so a bad file is one agreed error, never a hang.
            var model = context.LoadModel(PcaModel.Load, modelPath);
            if (components > model.Eigenvectors.Rows)
            {
                throw new DistalException(FailureKind.Usage, $"--components must be between 0 and {model.Eigenvectors.Rows}, not {components}");
            }

            if (data.Streaming is { } stream)
            {
                // A map row by row: each chunk is projected on its own and written as it comes.
                var local = new PcaTransform(model) { NComponents = components };
                long rows = context.WriteLocal("transformedData", stream.MapRows(chunk => local.Compute(chunk).TransformedData));
                return new JsonObject
                {
                    ["rows"] = context.Communicator.Allreduce(rows, Distal.Communication.ReduceOperation.Sum),
                    ["components"] = components == 0 ? model.Eigenvectors.Rows : components,
                };
            }

            var r = data.Compute(new PcaTransform(model) { NComponents = components, Distributed = true });
            context.WriteLocal("transformedData", r.TransformedData);
            return new JsonObject
            {
                ["rows"] = context.Communicator.Allreduce((long)r.TransformedData.Rows, Distal.Communication.ReduceOperation.Sum),
                ["components"] = r.TransformedData.Columns,
            };
        }
    }
}
