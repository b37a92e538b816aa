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
        var communicator = context.Communicator;
        if (context.IsBenchmark)
        {
            return new JsonObject { ["rows"] = communicator.Allreduce((long)prediction.Rows, ReduceOperation.Sum) };
        }

        // Ranks hold consecutive rows of the job, so rank order is row order.
        double[] all = communicator.GatherV<double>(prediction.Span, 0, out _);
        var json = new JsonObject();
        if (communicator.Rank == 0)
        {
            int k = prediction.Columns;
            json["prediction"] = JsonResult.Matrix(Table.FromArray(all, k == 0 ? 0 : all.Length / k, k));
        }

        return json;
    }
}
