using Distal.Algorithms;
using Distal.Communication;

namespace Distal.Tests.KMeans;

/// <summary>
/// The sampler defers lowering D² by the kept trial to its next pass over the rows; whatever reads D² or the nearest
/// centres in between must see them lowered.
/// </summary>
[Trait("Category", "Algorithm")]
public class DistanceWeightedSamplerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Nearest_centres_and_totals_after_greedy_steps_match_a_brute_force_pass(int threads)
    {
        // Multiples of 2⁻²⁰: every distance is exact in any summation order, so the brute force below is exact too.
        const int N = 5003, P = 5;
        var random = new Random(11);
        long[] units = new long[N * P];
        for (int i = 0; i < N; i++)
        {
            for (int c = 0; c < P; c++)
            {
                // Some rows repeat an earlier one, so some weights become exactly zero.
                units[(i * P) + c] = i % 7 == 3 ? units[((i - 3) * P) + c] : random.Next(-(8 << 20), 8 << 20);
            }
        }

        double[] values = [.. units.Select(u => Math.ScaleB(u, -20))];
        var rows = GlobalRows<double>.Create(SelfCommunicator.Instance, new Table<double>(values, P));
        var sampler = new DistanceWeightedSampler<double>(rows, weights: null, trackNearest: true, CounterBasedRandom.Create(5), RandomPurpose.WeightedRow, threads);
        sampler.AddPlusPlusCentre(0, 1);
        for (int step = 1; step < 6; step++)
        {
            sampler.AddPlusPlusCentre((ulong)step, 3);
        }

        double[] centres = sampler.Centres;
        int k = centres.Length / P;
        Assert.Equal(6, k);
        int[] nearest = sampler.Nearest.ToArray();
        sampler.PrepareTotals();
        var best = new double[N];
        var at = new int[N];
        for (int i = 0; i < N; i++)
        {
            best[i] = double.PositiveInfinity;
            for (int j = 0; j < k; j++)
            {
                double d = 0;
                for (int c = 0; c < P; c++)
                {
                    double diff = values[(i * P) + c] - centres[(j * P) + c];
                    d += diff * diff;
                }

                if (d < best[i])
                {
                    best[i] = d;
                    at[i] = j;
                }
            }
        }

        var quantizer = new WeightQuantizer(best.Max());
        Int128 total = 0;
        for (int i = 0; i < N; i++)
        {
            Assert.Equal(at[i], nearest[i]);
            Assert.Equal(quantizer.Apply(best[i]), sampler.QuantizedWeight(i));
            total += quantizer.Apply(best[i]);
        }

        Assert.Equal(total, sampler.GlobalTotal);
    }
}
