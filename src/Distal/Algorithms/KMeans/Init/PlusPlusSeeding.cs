using System.Numerics;

namespace Distal.Algorithms;

/// <summary>
/// k-means++ (Arthur and Vassilvitskii 2007) with greedy trials: the first centroid is a uniformly drawn row; each next
/// one is the best of <c>trials</c> rows drawn with probability ∝ D² (squared distance to the nearest centroid so far),
/// "best" meaning the one that leaves the smallest Σ D². Draw j of centroid i is key (i, j) of the stream.
/// </summary>
internal static class PlusPlusSeeding
{
    /// <summary>Collective: <paramref name="k"/> centroids, row-major.</summary>
    public static double[] Run<T>(GlobalRows<T> rows, int k, int trials, CounterBasedRandom random, int threads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var sampler = new DistanceWeightedSampler<T>(rows, weights: null, trackNearest: false, random, RandomPurpose.WeightedRow, threads);
        for (int i = 0; i < k; i++)
        {
            sampler.AddPlusPlusCentre((ulong)i, trials);
        }

        return sampler.Centres;
    }
}
