using System.Text.Json.Nodes;
using Distal.Algorithms;
using Distal.Communication;

namespace Distal.Cli.Output;

/// <summary>
/// R² and the picture's sample for a regression trained out of core, from one more pass over the training chunks:
/// the residual sum of squares adds up chunk by chunk; the total sum of squares about the global mean is merged from
/// each chunk's count, mean and centred sum of squares (Chan et al.'s pairwise update), chunk after chunk and then rank
/// after rank, so no uncentred Σy² ever cancels (the normal equations' Σy² − n·ȳ² would lose every digit on data far
/// from zero). Memory: one chunk's predictions and the ≤ <see cref="Presentation.SampleRows"/> sampled rows.
/// </summary>
internal sealed class StreamedRegressionFit
{
    private readonly RegressionModel _model;
    private readonly RowSample? _sample;
    private readonly int _k;
    private readonly double[] _residual;
    private readonly double[] _mean;
    private readonly double[] _centered;
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
        _mean = new double[_k];
        _centered = new double[_k];
    }

    /// <summary>
    /// Collective: streams <paramref name="chunks"/> (this rank's <paramref name="localRows"/> training rows and their
    /// targets, as doubles) and adds rSquared, rows and, when <paramref name="sample"/>, the picture's sample to
    /// <paramref name="extras"/>. A read failure on any rank is the same error on every rank.
    /// </summary>
    public static void AddTo(JsonObject extras, Communicator communicator, RegressionModel model, IEnumerable<(Table<double> X, Table<double> Y)> chunks, long localRows, bool sample)
    {
        var fit = new StreamedRegressionFit(model, sample ? RowSample.Plan(communicator, localRows) : null);
        communicator.Collectively(() =>
        {
            foreach (var (x, y) in chunks)
            {
                fit.Add(x, y);
            }
        });

        int k = fit._k;
        communicator.Allreduce<double>(fit._residual, ReduceOperation.Sum);

        // Every rank's (rows, means, centred sums) in rank order, merged the same way on every rank.
        double[] local = [fit._rows, .. fit._mean, .. fit._centered];
        double[] all = communicator.AllgatherV<double>(local, out _);
        long rows = 0;
        var mean = new double[k];
        var centered = new double[k];
        for (int rank = 0; rank < all.Length / local.Length; rank++)
        {
            var part = all.AsSpan(rank * local.Length, local.Length);
            Merge(ref rows, mean, centered, (long)part[0], part.Slice(1, k), part.Slice(1 + k, k));
        }

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
        Span<double> chunkMean = stackalloc double[_k];
        Span<double> chunkCentered = stackalloc double[_k];
        for (int i = 0; i < n; i++)
        {
            for (int r = 0; r < _k; r++)
            {
                double residual = y[i, r] - predicted[i, r];
                _residual[r] += residual * residual;
                chunkMean[r] += y[i, r];
            }
        }

        for (int r = 0; r < _k; r++)
        {
            chunkMean[r] /= n;
        }

        for (int i = 0; i < n; i++)
        {
            for (int r = 0; r < _k; r++)
            {
                double centered = y[i, r] - chunkMean[r];
                chunkCentered[r] += centered * centered;
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

        Merge(ref _rows, _mean, _centered, n, chunkMean, chunkCentered);
    }

    /// <summary>Merges (count, mean, centred sum of squares) of a part into the running ones.</summary>
    private static void Merge(ref long rows, Span<double> mean, Span<double> centered, long partRows, ReadOnlySpan<double> partMean, ReadOnlySpan<double> partCentered)
    {
        if (partRows == 0)
        {
            return;
        }

        long total = rows + partRows;
        for (int r = 0; r < mean.Length; r++)
        {
            double delta = partMean[r] - mean[r];
            mean[r] += delta * partRows / total;
            centered[r] += partCentered[r] + (delta * delta * rows * partRows / total);
        }

        rows = total;
    }
}
