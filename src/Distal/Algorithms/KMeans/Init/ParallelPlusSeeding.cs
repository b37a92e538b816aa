using System.Numerics;
using System.Runtime.InteropServices;
using Distal.Communication;

namespace Distal.Algorithms;

/// <summary>
/// k-means‖ (Bahmani et al., "Scalable k-means++", VLDB 2012). After one uniformly drawn centroid, each of nRounds
/// rounds keeps every row independently with probability min(1, ℓ·D²/Σ D²), ℓ = oversamplingFactor·k — all rows of a
/// round at once, so a round costs one pass and one exchange whatever k is. Each candidate is then weighted by the
/// number of rows nearest to it, and weighted k-means++ (with the same greedy trials) picks k of them; every rank
/// runs that small step on the same candidates and gets the same centroids.
/// </summary>
/// <remarks>
/// Both oversamplingFactor and nRounds are honoured (daal4py's distributed k-means‖ ignores nRounds). Row i's draw in
/// round r is key (r, global i) of the stream and D² sums are exact, so the result does not depend on the partitioning.
/// Should the rounds yield fewer than k candidates (a tiny ℓ, or few distinct rows), the missing centroids are added
/// by k-means++ steps over all rows.
/// </remarks>
internal static class ParallelPlusSeeding
{
    public static double[] Run<T>(GlobalRows<T> rows, int k, int trials, double oversamplingFactor, int rounds, CounterBasedRandom random, int threads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var sampler = new DistanceWeightedSampler<T>(rows, weights: null, trackNearest: true, random, RandomPurpose.WeightedRow, threads);
        sampler.AddPlusPlusCentre(0, 1);
        double ell = oversamplingFactor * k;
        int p = rows.Columns;
        for (int round = 1; round <= rounds; round++)
        {
            sampler.PrepareTotals();
            Int128 total = sampler.GlobalTotal;
            if (total == 0)
            {
                // Every row coincides with a candidate: further rounds cannot add anything.
                break;
            }

            double[] selected = Oversample(rows, sampler, total, ell, (ulong)round, random, threads);
            double[] all = rows.Communicator.AllgatherV<double>(selected, out _);
            if (all.Length > 0)
            {
                sampler.AddCentres(all);
            }
        }

        int candidates = sampler.CentreCount;
        for (int i = candidates; i < k; i++)
        {
            sampler.AddPlusPlusCentre((ulong)i, trials);
        }

        if (candidates <= k)
        {
            return sampler.Centres;
        }

        return ReduceCandidates(rows.Communicator, sampler, candidates, p, k, trials, random);
    }

    /// <summary>This rank's rows kept in one round, row-major in global order.</summary>
    private static double[] Oversample<T>(GlobalRows<T> rows, DistanceWeightedSampler<T> sampler, Int128 total, double ell, ulong round, CounterBasedRandom random, int threads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int n = rows.LocalRows;
        int p = rows.Columns;
        double totalWeight = (double)total;

        // Drawing costs far more than the distance bookkeeping here, so split by rows alone.
        int ranges = RowRanges.Count(n, 64, threads);
        var kept = new List<int>[ranges];
        RowRanges.Run(n, ranges, threads, (r, start, end) =>
        {
            var mine = new List<int>();
            Span<ulong> block = stackalloc ulong[4];
            ulong blockIndex = ulong.MaxValue;
            for (int i = start; i < end; i++)
            {
                long q = sampler.QuantizedWeight(i);
                if (q == 0)
                {
                    continue;
                }

                double probability = ell * q / totalWeight;
                ulong g = (ulong)(rows.Offset + i);
                if (g / 4 != blockIndex)
                {
                    blockIndex = g / 4;
                    random.Block(RandomPurpose.Oversampling, round, blockIndex, block);
                }

                if (probability >= 1 || CounterBasedRandom.ToUniform(block[(int)(g % 4)]) < probability)
                {
                    mine.Add(i);
                }
            }

            kept[r] = mine;
        });

        var values = new List<double>();
        var row = new double[p];
        foreach (var list in kept)
        {
            foreach (int i in list)
            {
                rows.CopyRow(i, row);
                values.AddRange(row);
            }
        }

        return [.. values];
    }

    /// <summary>Weighted k-means++ on the candidates, run identically on every rank.</summary>
    private static double[] ReduceCandidates<T>(Communicator communicator, DistanceWeightedSampler<T> sampler, int candidates, int p, int k, int trials, CounterBasedRandom random)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var counts = new long[candidates];
        foreach (int nearest in sampler.Nearest)
        {
            counts[nearest]++;
        }

        communicator.Allreduce<long>(counts, ReduceOperation.Sum);
        var weights = new double[candidates];
        for (int c = 0; c < candidates; c++)
        {
            weights[c] = counts[c];
        }

        var candidateRows = GlobalRows<double>.Create(SelfCommunicator.Instance, Table.FromArray(sampler.Centres, candidates, p));
        var reduction = new DistanceWeightedSampler<double>(candidateRows, weights, trackNearest: false, random, RandomPurpose.CandidateReduction, threads: 1);
        for (int i = 0; i < k; i++)
        {
            reduction.AddPlusPlusCentre((ulong)i, trials);
        }

        return reduction.Centres;
    }
}
