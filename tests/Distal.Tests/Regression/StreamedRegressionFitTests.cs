using System.Text.Json.Nodes;
using Distal.Algorithms;
using Distal.Cli.Output;
using Distal.Tests.Cli;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Regression;

/// <summary>
/// R² and the plot's sample from chunks (the streamed training's second pass) equal the in-memory ones on 1–5 ranks:
/// R² to 1e-12 relative, and against an exact decimal computation, on responses a million away from zero where the
/// normal equations' Σy² − n·ȳ² would lose every digit; the sample is the same rows bit for bit.
/// </summary>
[Trait("Category", "Algorithm")]
public sealed class StreamedRegressionFitTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void Chunks_give_the_in_memory_r_squared_and_sample(int ranks)
    {
        var random = new Random(17);
        const int rows = 12_011;
        var x = Table<double>.Create(rows, 3);
        var y = Table<double>.Create(rows, 2);
        for (int i = 0; i < rows; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                x[i, c] = random.NextDouble() + c;
            }

            y[i, 0] = 1e6 + x[i, 0] - (2 * x[i, 1]) + (0.3 * x[i, 2]) + (0.01 * random.NextDouble());
            y[i, 1] = -5 + (0.5 * x[i, 1]) + random.NextDouble();
        }

        var model = new LinearRegressionTraining().Compute(x, y);
        var results = Spmd.RunLocal(ranks, s =>
        {
            int first = (int)((long)rows * s.Rank / ranks), count = (int)((long)rows * (s.Rank + 1) / ranks) - first;
            Table<double> localX = x.SliceRows(first, count), localY = y.SliceRows(first, count);
            var inMemory = new JsonObject();
            RegressionFit.AddTo(inMemory, s.Communicator, model, localX, localY, sample: true);
            var streamed = new JsonObject();
            var chunks = Enumerable.Range(0, (count + 6) / 7).Select(c => (localX.SliceRows(c * 7, Math.Min(7, count - (c * 7))), localY.SliceRows(c * 7, Math.Min(7, count - (c * 7)))));
            StreamedRegressionFit.AddTo(streamed, s.Communicator, model, chunks, count, sample: true);
            return (InMemory: inMemory, Streamed: streamed);
        });

        var exact = ExactRSquared(model, x, y);
        foreach (var (inMemory, streamed) in results)
        {
            Compare.Relative(DistalProcess.Flatten(inMemory["rSquared"]), DistalProcess.Flatten(streamed["rSquared"]), 1e-12, what: "R² against in memory");
            Compare.Relative(exact, DistalProcess.Flatten(streamed["rSquared"]), 1e-12, what: "R² against decimal");
            Assert.Equal(rows, streamed["rows"]!.GetValue<long>());
        }

        var (memory, stream) = results[0];
        Assert.InRange(DistalProcess.Flatten(stream["sampleActual"]).Length, 2 * 4000, 2 * 5000);
        foreach (string key in new[] { "sampleActual", "samplePredicted", "sampleResponse", "sampledRows", "stride" })
        {
            Assert.Equal(memory[key]!.ToJsonString(), stream[key]!.ToJsonString());
        }
    }

    /// <summary>
    /// The double's value in decimal to 28 digits (the explicit conversion keeps only 15, too few for values a million
    /// from zero): its integer mantissa divided by its power of two.
    /// </summary>
    private static decimal Exact(double value)
    {
        long bits = BitConverter.DoubleToInt64Bits(value);
        int exponent = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0)
        {
            exponent = 1;
        }
        else
        {
            mantissa |= 1L << 52;
        }

        decimal result = mantissa * (bits < 0 ? -1m : 1m);
        for (int e = exponent - 1075; e != 0;)
        {
            int step = Math.Clamp(e, -31, 31);
            result = step < 0 ? result / (1L << -step) : result * (1L << step);
            e -= step;
        }

        return result;
    }

    /// <summary>1 − RSS/TSS per response in decimal (28 digits) from the model's coefficients.</summary>
    private static double[] ExactRSquared(RegressionModel model, Table<double> x, Table<double> y)
    {
        var r2 = new double[y.Columns];
        for (int r = 0; r < y.Columns; r++)
        {
            decimal mean = 0;
            for (int i = 0; i < y.Rows; i++)
            {
                mean += Exact(y[i, r]);
            }

            mean /= y.Rows;
            decimal residual = 0, centered = 0;
            for (int i = 0; i < y.Rows; i++)
            {
                decimal predicted = Exact(model.Beta[r, 0]);
                for (int j = 0; j < x.Columns; j++)
                {
                    predicted += Exact(model.Beta[r, j + 1]) * Exact(x[i, j]);
                }

                residual += (Exact(y[i, r]) - predicted) * (Exact(y[i, r]) - predicted);
                centered += (Exact(y[i, r]) - mean) * (Exact(y[i, r]) - mean);
            }

            r2[r] = (double)(1 - (residual / centered));
        }

        return r2;
    }
}
