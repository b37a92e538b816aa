using System.Text.Json.Nodes;
using Distal.Algorithms;
using Distal.Communication;

namespace Distal.Cli.Commands;

/// <summary>The JSON the regression commands print: a model's fields, and predictions in rank order.</summary>
internal static class RegressionJson
{
    public static JsonObject Model(RegressionModel model) => new()
    {
        ["beta"] = JsonResult.Matrix(model.Beta),
        ["numberOfBetas"] = model.NumberOfBetas,
        ["numberOfResponses"] = model.NumberOfResponses,
        ["interceptFlag"] = model.InterceptFlag,
        ["numberOfFeatures"] = model.NumberOfFeatures,
    };

    /// <summary>
    /// Predicts this rank's rows, writes them to prediction_&lt;rank&gt;.csv with `--local-output-dir`, and returns
    /// `prediction` with the rows of every rank in rank order (only the row count under `distal benchmark`).
    /// </summary>
    public static JsonObject Predict(RankContext context, InputTable rows, RegressionPrediction algorithm)
    {
        var prediction = rows.Compute(algorithm).Prediction;
        context.WriteLocal("prediction", prediction);
        return context.IsBenchmark
            ? new JsonObject { ["rows"] = context.Communicator.Allreduce((long)prediction.Rows, ReduceOperation.Sum) }
            : Gathered(context.Communicator, prediction.Span, prediction.Columns);
    }

    /// <summary>
    /// Streamed rows (`--chunk-rows`): each chunk is predicted on its own (the last <paramref name="responses"/> columns
    /// dropped) and written to prediction_&lt;rank&gt;.csv as it comes. The JSON still lists every prediction, so this
    /// rank keeps its k values per row (not its rows).
    /// </summary>
    public static JsonObject Predict(RankContext context, StreamPlan stream, int responses, RegressionPrediction algorithm)
    {
        algorithm.Distributed = false;
        var kept = new List<double>();
        int k = 0;
        Table<double> PredictChunk(Table<double> chunk)
        {
            int p = chunk.Columns - responses;
            if (p < 1)
            {
                throw new DistalException(FailureKind.Input, $"the input has {chunk.Columns} columns: --responses {responses} leaves no feature");
            }

            var features = responses == 0 ? chunk : Table<double>.Create(chunk.Rows, p);
            for (int i = 0; responses > 0 && i < chunk.Rows; i++)
            {
                chunk.Row(i)[..p].CopyTo(features.Row(i));
            }

            var prediction = algorithm.Compute(features).Prediction;
            k = prediction.Columns;
            kept.AddRange(prediction.Span);
            return prediction;
        }

        context.WriteLocal("prediction", stream.MapRows(PredictChunk));
        var communicator = context.Communicator;
        k = communicator.Allreduce(k, ReduceOperation.Max);
        return Gathered(communicator, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(kept), k);
    }

    /// <summary>`prediction`: the rows of every rank in rank order (ranks hold consecutive rows of the job), on rank 0.</summary>
    private static JsonObject Gathered(Communicator communicator, ReadOnlySpan<double> local, int k)
    {
        double[] all = communicator.GatherV<double>(local, 0, out _);
        var json = new JsonObject();
        if (communicator.Rank == 0)
        {
            json["prediction"] = JsonResult.Matrix(Table.FromArray(all, k == 0 ? 0 : all.Length / k, k));
        }

        return json;
    }
}
