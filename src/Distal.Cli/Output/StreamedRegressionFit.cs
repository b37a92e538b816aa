using System.Text.Json.Nodes;
using Distal.Algorithms;
using Distal.Communication;

namespace Distal.Cli.Output;

/// <summary>
/// R² and the picture's sample for a regression trained out of core, from one more pass over the training chunks:
/// the residual sum of squares adds up chunk by chunk, and the total sum of squares about the global mean is the
/// targets' centred sum of squares from <see cref="LowOrderMoments"/> streamed over the same chunks (its shifted,
/// merged partials never form an uncentred Σy², whose Σy² − n·ȳ² would lose every digit on data far from zero).
/// Memory: one chunk's predictions and the ≤ <see cref="Presentation.SampleRows"/> sampled rows.
/// </summary>
internal sealed class StreamedRegressionFit
{
    private readonly RegressionModel _model;
    private readonly RowSample? _sample;
    private readonly int _k;
    private readonly double[] _residual;
    private readonly List<double> _actual = [];
    private readonly List<double> _fitted = [];
    private readonly List<int> _response = [];
    private long _rows;

    private StreamedRegressionFit(RegressionModel model, RowSample? sample)
    {
        _model = model;
        _sample = sample;
        _k = model.Beta.Rows;
        _residual = new double[_k];
    }

    /// <summary>
    /// Collective: streams <paramref name="chunks"/> (this rank's <paramref name="localRows"/> training rows and their
    /// targets, as doubles) and adds rSquared, rows and, when <paramref name="sample"/>, the picture's sample to
    /// <paramref name="extras"/>. A read failure on any rank is the same error on every rank.
    /// </summary>
    public static void AddTo(JsonObject extras, Communicator communicator, RegressionModel model, IEnumerable<(Table<double> X, Table<double> Y)> chunks, long localRows, bool sample)
    {
        var fit = new StreamedRegressionFit(model, sample ? RowSample.Plan(communicator, localRows) : null);
        OnlineComputation<LowOrderMomentsResult> targets = new LowOrderMoments { Distributed = true }.CreateOnline();
        communicator.Collectively(() =>
        {
            foreach (var (x, y) in chunks)
            {
                fit.Add(x, y);
                targets.Add(y);
            }
        });

        int k = fit._k;
        communicator.Allreduce<double>(fit._residual, ReduceOperation.Sum);
        LowOrderMomentsResult moments = targets.Finalize();
        double[] centered = moments.SumSquaresCentered!;
        long rows = moments.Rows;
        var r2 = new double[k];
        for (int r = 0; r < k; r++)
        {
            r2[r] = centered[r] > 0 ? 1 - fit._residual[r] / centered[r] : double.NaN;
        }

        extras["rSquared"] = JsonResult.Vector(r2);
        extras["rows"] = rows;
        if (fit._sample is { } plan)
        {
            RegressionFit.AddSample(extras, communicator, plan, fit._actual, fit._fitted, fit._response);
        }
    }

    private void Add(Table<double> x, Table<double> y)
    {
        int n = y.Rows;
        if (n == 0)
        {
            return;
        }

        var predicted = RegressionFit.Predict(_model, x);
        for (int i = 0; i < n; i++)
        {
            for (int r = 0; r < _k; r++)
            {
                double residual = y[i, r] - predicted[i, r];
                _residual[r] += residual * residual;
            }
        }

        if (_sample is { } plan)
        {
            for (int i = 0; i < n; i++)
            {
                if (plan.Keeps(_rows + i))
                {
                    for (int r = 0; r < _k; r++)
                    {
                        _actual.Add(y[i, r]);
                        _fitted.Add(predicted[i, r]);
                        _response.Add(r);
                    }
                }
            }
        }

        _rows += n;
    }
}
