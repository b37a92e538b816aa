using Distal.Algorithms;
using Distal.Kernels;

namespace Distal.Tests.KMeans;

[Trait("Category", "Algorithm")]
public class NearestCentroidTests
{
    [Theory]
    [InlineData(1, 7)]
    [InlineData(3, 1)]
    [InlineData(4, 20)]
    [InlineData(5, 3)]
    [InlineData(8, 9)]
    [InlineData(9, 20)]
    [InlineData(13, 5)]
    [InlineData(16, 33)]
    [InlineData(17, 4)]
    public void Fused_and_general_paths_agree_with_a_brute_force_argmin(int k, int p)
    {
        var random = new Random((k * 100) + p);
        const int N = 1500;
        var rows = new double[N * p];
        var centroids = new double[k * p];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = (random.NextDouble() * 8) - 4;
        }

        for (int i = 0; i < centroids.Length; i++)
        {
            centroids[i] = (random.NextDouble() * 8) - 4;
        }

        var expected = new int[N];
        double expectedObjective = 0;
        for (int i = 0; i < N; i++)
        {
            double best = double.PositiveInfinity;
            for (int j = 0; j < k; j++)
            {
                double d = 0;
                for (int c = 0; c < p; c++)
                {
                    double diff = rows[(i * p) + c] - centroids[(j * p) + c];
                    d += diff * diff;
                }

                if (d < best)
                {
                    best = d;
                    expected[i] = j;
                }
            }

            expectedObjective += best;
        }

        foreach (bool fused in new[] { true, false })
        {
            var set = new AssignmentCentroids(centroids, k, p, allowFused: fused);
            Assert.Equal(fused && k <= NearestCentroidLanes.MaxClusters, set.Tiles is not null);
            var worker = new AssignmentWorker(k, p, accumulate: true, farthestCapacity: 0);
            var assignments = new int[N];
            worker.Process<double>(rows, assignments, 0, set, DenseKernels.Current);
            Assert.Equal(expected, assignments);
            Assert.Equal(expectedObjective, worker.Partial.Objective, 1e-12 * expectedObjective);
            Assert.Equal(N, worker.Partial.Counts.Sum());
        }
    }

    [Theory]
    [InlineData(1, 20)]
    [InlineData(4, 3)]
    [InlineData(7, 20)]
    [InlineData(10, 20)]
    [InlineData(12, 5)]
    [InlineData(14, 9)]
    public void Packed_blocks_give_every_row_the_single_row_answer_whatever_its_position(int k, int p)
    {
        var random = new Random((k * 31) + p);
        double[] rows = [.. Enumerable.Range(0, 103 * p).Select(_ => (random.NextDouble() * 8) - 4)];
        double[] centroids = [.. Enumerable.Range(0, k * p).Select(_ => (random.NextDouble() * 8) - 4)];
        var lanes = new AssignmentCentroids(centroids, k, p).Tiles!;
        var scratch = new double[NearestCentroidLanes.ScratchLength(p)];
        var alone = new int[1];
        foreach (int offset in new[] { 0, 1, 2, 3 })
        {
            int count = 103 - offset;
            var together = new int[count];
            lanes.NearestOfRows(rows.AsSpan(offset * p, count * p), together, scratch);
            for (int r = 0; r < count; r++)
            {
                lanes.NearestOfRows(rows.AsSpan((offset + r) * p, p), alone, scratch);
                Assert.Equal(alone[0], together[r]);
            }
        }
    }

    [Fact]
    public void Ties_go_to_the_lowest_centroid_on_both_paths()
    {
        // Row (0, 0) is equidistant from all four centroids.
        var centroids = new double[] { 1, 0, 0, 1, -1, 0, 0, -1 };
        foreach (bool fused in new[] { true, false })
        {
            var set = new AssignmentCentroids(centroids, 4, 2, allowFused: fused);
            var worker = new AssignmentWorker(4, 2, accumulate: false, farthestCapacity: 0);
            var assignments = new[] { -1 };
            worker.Process<double>(new double[] { 0, 0 }, assignments, 0, set, DenseKernels.Current);
            Assert.Equal(0, assignments[0]);
        }
    }
}
