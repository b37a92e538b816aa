using Distal.Kernels;

namespace Distal.Tests.Kernels;

/// <summary>
/// The lanes-over-rows nearest-centroid kernel at this process's vector width (test.sh reruns it under
/// DISTAL_SIMD=scalar and 128, which reach its scalar and two-lane paths).
/// </summary>
public class NearestCentroidLanesTests
{
    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        int[] rows = [1, 3, 4, 5, 7, 9, 30, 37];
        int[] columns = [1, 2, 3, 4, 5, 7, 8, 13, 20, 33];
        for (int k = 1; k <= NearestCentroidLanes.MaxClusters; k++)
        {
            // Every k up to the maximum, each with a few row and column counts (rows not a multiple of 4 included).
            data.Add(rows[k % rows.Length], k, columns[k % columns.Length]);
            data.Add(rows[(k + 3) % rows.Length], k, columns[(k + 5) % columns.Length]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_row_gets_the_argmin_of_a_plain_loop_over_the_same_formula(int n, int k, int p)
    {
        var random = new Random((n * 1000) + (k * 40) + p);
        double[] rows = [.. Enumerable.Range(0, n * p).Select(_ => (random.NextDouble() * 6) - 3)];
        double[] centroids = [.. Enumerable.Range(0, k * p).Select(_ => (random.NextDouble() * 6) - 3)];
        var norms = new double[k];
        for (int j = 0; j < k; j++)
        {
            norms[j] = SquaredDistance.Norm(centroids.AsSpan(j * p, p));
        }

        var kernel = new NearestCentroidLanes(centroids, norms, k, p);
        var result = new int[n];
        kernel.NearestOfRows(rows, result, new double[NearestCentroidLanes.ScratchLength(p)]);
        for (int i = 0; i < n; i++)
        {
            // The definition, one entry at a time: x·c as one fused chain over the columns in order, ‖c‖² − 2·x·c
            // fused, the first strictly smaller value wins.
            int expected = 0;
            double best = double.NaN;
            for (int j = 0; j < k; j++)
            {
                double dot = 0;
                for (int c = 0; c < p; c++)
                {
                    dot = Math.FusedMultiplyAdd(rows[(i * p) + c], centroids[(j * p) + c], dot);
                }

                double value = Math.FusedMultiplyAdd(-2, dot, norms[j]);
                if (j == 0 || value < best)
                {
                    best = value;
                    expected = j;
                }
            }

            Assert.Equal(expected, result[i]);

            // And the exact nearest centroid (distances in decimal arithmetic) whenever it is not a near tie.
            var exact = Enumerable.Range(0, k).Select(j => ExactSquaredDistance(rows.AsSpan(i * p, p), centroids.AsSpan(j * p, p))).ToArray();
            int exactBest = Array.IndexOf(exact, exact.Min());
            var sorted = exact.Order().ToArray();
            if (k == 1 || sorted[1] - sorted[0] > 1e-9m)
            {
                Assert.Equal(exactBest, result[i]);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(13)]
    public void Equal_centroids_go_to_the_lowest_index_in_every_lane(int p)
    {
        // Centroids 3 and k − 1 are copies of centroid 1 (in another group, and in another lane of the block): rows on
        // them must get the first copy.
        const int K = 17;
        var random = new Random(p);
        double[] centroids = [.. Enumerable.Range(0, K * p).Select(_ => random.NextDouble())];
        for (int c = 0; c < p; c++)
        {
            centroids[(3 * p) + c] = centroids[p + c];
            centroids[((K - 1) * p) + c] = centroids[p + c];
        }

        var norms = Enumerable.Range(0, K).Select(j => SquaredDistance.Norm(centroids.AsSpan(j * p, p))).ToArray();
        var kernel = new NearestCentroidLanes(centroids, norms, K, p);
        double[] rows = [.. Enumerable.Repeat(centroids.AsSpan(p, p).ToArray(), 7).SelectMany(r => r)];
        var result = new int[7];
        kernel.NearestOfRows(rows, result, new double[NearestCentroidLanes.ScratchLength(p)]);
        Assert.All(result, index => Assert.Equal(1, index));
    }

    private static decimal ExactSquaredDistance(ReadOnlySpan<double> x, ReadOnlySpan<double> c)
    {
        // The conversion to decimal keeps 15 significant digits, so these distances are within ~1e-13 of the true
        // ones (values in [-3, 3], p ≤ 33): far inside the 1e-9 margin that tells a real gap from a near tie.
        decimal sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            decimal d = (decimal)x[i] - (decimal)c[i];
            sum += d * d;
        }

        return sum;
    }
}
