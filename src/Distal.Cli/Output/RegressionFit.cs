using System.Text.Json.Nodes;
using Distal.Algorithms;
using Distal.Communication;

namespace Distal.Cli.Output;

/// <summary>
/// R² of a trained regression on its training rows, and a bounded sample of (actual, predicted) pairs for the picture.
/// Two passes over the rows the training already holds in memory: the global mean of each response (one allreduce),
/// then the residual and total sums of squares about it (one allreduce); nothing but k numbers per response and the
/// sample travel, so every rank agrees on the same R². A streamed training computes the same in one more pass over
/// its chunks (<see cref="StreamedRegressionFit"/>).
/// </summary>
internal static class RegressionFit
{
    public static void AddTo(JsonObject extras, Communicator communicator, RegressionModel model, Table<double> x, Table<double> y, bool sample)
    {
        int k = y.Columns, n = y.Rows;
        var predicted = Predict(model, x);

        var sums = new double[k + 1];
        for (int i = 0; i < n; i++)
        {
            for (int r = 0; r < k; r++)
            {
                sums[r] += y[i, r];
            }
        }

        sums[k] = n;
        communicator.Allreduce<double>(sums, ReduceOperation.Sum);
        long rows = (long)sums[k];
        var squares = new double[2 * k];
        for (int i = 0; i < n; i++)
        {
            for (int r = 0; r < k; r++)
            {
                double residual = y[i, r] - predicted[i, r], centered = y[i, r] - sums[r] / rows;
                squares[r] += residual * residual;
                squares[k + r] += centered * centered;
            }
        }

        communicator.Allreduce<double>(squares, ReduceOperation.Sum);
        var r2 = new double[k];
        for (int r = 0; r < k; r++)
        {
            r2[r] = squares[k + r] > 0 ? 1 - squares[r] / squares[k + r] : double.NaN;
        }

        extras["rSquared"] = JsonResult.Vector(r2);
        extras["rows"] = rows;
        if (!sample)
        {
            return;
        }

        var plan = RowSample.Plan(communicator, n);
        var actual = new List<double>();
        var fitted = new List<double>();
        var response = new List<int>();
        foreach (int i in plan.LocalIndices(n))
        {
            for (int r = 0; r < k; r++)
            {
                actual.Add(y[i, r]);
                fitted.Add(predicted[i, r]);
                response.Add(r);
            }
        }

        AddSample(extras, communicator, plan, actual, fitted, response);
    }

    /// <summary>The model's predictions for the rows of <paramref name="x"/> (n × k).</summary>
    internal static Table<double> Predict(RegressionModel model, Table<double> x)
    {
        var beta = model.Beta;
        int k = beta.Rows, n = x.Rows;
        var predicted = Table<double>.Create(n, k);
        for (int i = 0; i < n; i++)
        {
            var row = x.Row(i);
            for (int r = 0; r < k; r++)
            {
                var b = beta.Row(r);
                double value = b[0];
                for (int j = 0; j < row.Length; j++)
                {
                    value += b[j + 1] * row[j];
                }

                predicted[i, r] = value;
            }
        }

        return predicted;
    }

    /// <summary>Gathers every rank's sampled (actual, predicted, response) triples on rank 0, for the picture (collective).</summary>
    internal static void AddSample(JsonObject extras, Communicator communicator, RowSample plan, List<double> actual, List<double> fitted, List<int> response)
    {
        double[] allActual = communicator.GatherV<double>(actual.ToArray(), 0, out _);
        double[] allFitted = communicator.GatherV<double>(fitted.ToArray(), 0, out _);
        int[] allResponse = communicator.GatherV<int>(response.ToArray(), 0, out _);
        plan.Describe(extras);
        extras["sampleActual"] = JsonResult.Vector(allActual);
        extras["samplePredicted"] = JsonResult.Vector(allFitted);
        extras["sampleResponse"] = JsonResult.Vector(allResponse);
    }
}
