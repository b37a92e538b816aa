using Distal.Kernels;
using Distal.Tests.Accuracy;

namespace Distal.Tests.Kernels;

/// <summary>
/// A cluster's running moments through a long sequence of rows joining and leaving, against exact big-integer
/// statistics of the rows still in (<see cref="ExactStatistics"/>): the double-double sum within one rounding of the
/// exact sum, the mean and the scatter within a few roundings, per entry; and all of them exactly 0 once the last row
/// leaves. The rows are offset (up to 1e8) and the moments taken of them minus a shift near the offset, as
/// <c>ClusterAggregates</c> does with one of its rows.
/// </summary>
[Trait("Category", "Algorithm")]
public class ClusterMomentsTests
{
    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(3, 0.0)]
    [InlineData(4, 10.0)]
    [InlineData(9, -3.0)]
    [InlineData(20, 1.0)]
    [InlineData(6, 1e8)]
    public void Moments_follow_the_rows_in_the_cluster(int p, double offset)
    {
        var random = new Random(p + (int)Math.Log10(Math.Abs(offset) + 1));
        var hi = new double[p];
        var lo = new double[p];
        var mean = new double[p];
        double scatter = 0;

        // The moments are of the rows minus the shift; the members kept for the reference are the shifted rows.
        double[] shift = [.. Enumerable.Range(0, p).Select(c => offset + (c * 0.25))];
        var members = new List<double[]>();
        var raw = new List<double[]>();
        for (int step = 0; step < 3000; step++)
        {
            bool add = members.Count < 2 || random.NextDouble() < 0.55;
            if (add)
            {
                double[] row = [.. Enumerable.Range(0, p).Select(_ => offset + (random.NextDouble() * 2) - 1)];
                ClusterMoments.Add(row, shift, hi, lo, mean, ref scatter, members.Count);
                members.Add([.. row.Select((v, c) => v - shift[c])]);
                raw.Add(row);
            }
            else
            {
                int at = random.Next(members.Count);
                ClusterMoments.Remove(raw[at], shift, hi, lo, mean, ref scatter, members.Count);
                members.RemoveAt(at);
                raw.RemoveAt(at);
            }

            if (step % 100 == 99)
            {
                Check(members, hi, lo, mean, scatter, p);
            }
        }

        while (members.Count > 0)
        {
            ClusterMoments.Remove(raw[^1], shift, hi, lo, mean, ref scatter, members.Count);
            members.RemoveAt(members.Count - 1);
            raw.RemoveAt(raw.Count - 1);
        }

        Assert.All(hi.Concat(lo).Concat(mean), v => Assert.Equal(0, v));
        Assert.Equal(0, scatter);
    }

    private static void Check(List<double[]> members, double[] hi, double[] lo, double[] mean, double scatter, int p)
    {
        var exact = new ExactStatistics([.. members]);
        double[] sums = exact.Sum();
        double[] means = exact.Mean();
        for (int c = 0; c < p; c++)
        {
            // The double-double sum: hi + lo is the exact sum to within one rounding.
            Assert.True(Math.Abs((hi[c] + lo[c]) - sums[c]) <= Math.Abs(sums[c]) * 2.3e-16, $"sum {c}: {hi[c] + lo[c]} against {sums[c]}");
            Assert.True(Math.Abs(mean[c] - means[c]) <= 1e-12 * Math.Max(1, Math.Abs(means[c])), $"mean {c}: {mean[c]} against {means[c]}");
        }

        double expected = exact.CenteredSumSquares().Sum();
        Assert.True(Math.Abs(scatter - expected) <= 1e-11 * expected, $"scatter {scatter} against {expected}");
    }
}
