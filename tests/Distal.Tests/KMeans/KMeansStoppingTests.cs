using Distal.Tests.Infrastructure;
using Lloyd = Distal.Algorithms.KMeans;

namespace Distal.Tests.KMeans;

/// <summary>Lloyd stops as soon as the centroids no longer change, even when an empty cluster is re-seeded every time.</summary>
[Trait("Category", "Algorithm")]
public class KMeansStoppingTests
{
    private static Table<double> Identical(int rows, double[] row)
    {
        var table = Table<double>.Create(rows, row.Length);
        for (int i = 0; i < rows; i++)
        {
            row.CopyTo(table.Row(i));
        }

        return table;
    }

    [Fact]
    public void Three_thousand_identical_rows_with_three_clusters_stop_after_two_iterations()
    {
        double[] row = [1.5, -2.25, 1e8];
        var data = Identical(3000, row);
        var initial = Table.FromArray<double>([1.5, -2.25, 1e8, 0, 0, 0, 7, 7, 7], 3, 3);
        var result = new Lloyd(3, 300).Compute(data, initial);

        // Iteration 1 moves clusters 1 and 2 onto the row (re-seeded with a copy of it); iteration 2 finds every
        // cluster empty but one again and re-seeds the same way: nothing moves beyond rounding, the run stops there.
        Assert.Equal(2, result.NIterations);
        for (int j = 0; j < 3; j++)
        {
            for (int c = 0; c < 3; c++)
            {
                Assert.True(Math.Abs(result.Centroids[j, c] - row[c]) <= 4 * Math.Abs(row[c]) * 2.220446049250313e-16, $"centroid {j}, coordinate {c}: {result.Centroids[j, c]}");
            }
        }

        // Sum of squared distances to a centroid within an ulp or two of every row: rounding only.
        Assert.InRange(result.ObjectiveFunction, 0.0, 3000 * 3 * Math.Pow(4 * 1e8 * 2.220446049250313e-16, 2));

        Assert.All(result.Assignments, a => Assert.InRange(a, 0, 2));
    }

    [Fact]
    public void Distributed_identical_rows_stop_at_the_same_iteration_on_every_rank()
    {
        var data = Identical(300, [4.0, 5.0]);
        var initial = Table.FromArray<double>([0, 0, 1, 1, 2, 2, 3, 3], 4, 2);
        var batch = new Lloyd(4, 300).Compute(data, initial);
        var counts = new[] { 100, 0, 150, 50 };
        var results = Ranks.Run(4, s => new Lloyd(4, 300) { Distributed = true }.Compute(Ranks.Share(data, counts, s.Rank), initial));
        Assert.True(batch.NIterations <= 3, $"{batch.NIterations} iterations");
        Assert.All(results, r =>
        {
            Assert.Equal(batch.NIterations, r.NIterations);
            Compare.Bitwise(batch.Centroids.Span, r.Centroids.Span, "centroids");
        });
    }

    [Fact]
    public void Two_distinct_points_and_three_clusters_stop_with_two_distinct_centroids()
    {
        var data = Table<double>.Create(200, 1);
        for (int i = 0; i < 200; i++)
        {
            data[i, 0] = i % 2 == 0 ? -1.0 : 3.0;
        }

        var result = new Lloyd(3, 300).Compute(data, Table.FromArray<double>([-1, 0, 10], 3, 1));
        Assert.True(result.NIterations < 10, $"{result.NIterations} iterations");
        Assert.InRange(result.ObjectiveFunction, 0.0, 1e-25);
        var distinct = result.Centroids.Span.ToArray().Select(v => Math.Round(v, 12)).Distinct().Order().ToArray();
        Assert.Equal([-1.0, 3.0], distinct);
    }
}
