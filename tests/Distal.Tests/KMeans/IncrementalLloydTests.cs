using Distal.Algorithms;
using Distal.Tests.Infrastructure;
using Lloyd = Distal.Algorithms.KMeans;

namespace Distal.Tests.KMeans;

/// <summary>
/// Lloyd on rows held in memory keeps each range's clusters across passes and reads only the rows that change cluster
/// (where the float32 screen applies: 256-bit vectors and up); rows streamed from a source take full passes. The two
/// must agree, and the incremental objective must stay exact on data with a large offset.
/// </summary>
[Trait("Category", "Algorithm")]
public class IncrementalLloydTests
{
    [Theory]
    [InlineData(2000, 5, 6)]
    [InlineData(3001, 20, 10)]
    [InlineData(500, 3, 2)]
    [InlineData(20_011, 7, 13)]
    public void In_memory_and_streamed_passes_agree(int rows, int columns, int k)
    {
        // With two threads the larger shapes split into several ranges, each with its own aggregates.
        var table = KMeansTestData.Blobs(seed: rows + columns, rows, columns, centres: k, spread: 2.5);
        var init = table.SliceRows(0, k);
        var inMemory = new Lloyd(k, 30).Compute(table, init);
        var streamed = new Lloyd(k, 30).ComputeOutOfCore(() => [table], init);
        Assert.Equal(streamed.NIterations, inMemory.NIterations);
        Assert.Equal(streamed.Assignments, inMemory.Assignments);
        Compare.Relative(streamed.Centroids.Span, inMemory.Centroids.Span, 1e-13, floor: 1e-12);
        Compare.Relative([streamed.ObjectiveFunction], [inMemory.ObjectiveFunction], 1e-12);
    }

    [Fact]
    public void The_objective_of_data_with_a_large_offset_is_exact()
    {
        // 1e8 + blobs of spread 1: every value lies in [2²⁶, 2²⁷), so differences of two of them are exact doubles, and
        // the reference sums their squares in decimal over the final assignments and centroids. Moments of the raw
        // rows would carry means off by 1e-8 and the objective's count·‖mean − c‖² off by about 1e-8 relative; the
        // shifted moments must do far better. (The run settles since the nearest centroid is taken on shifted rows;
        // LargeOffsetLloydTests checks that. The objective is of the last pass either way.)
        const int Rows = 3000, Columns = 3, K = 4;
        var blobs = KMeansTestData.Blobs(seed: 77, Rows, Columns, centres: K, spread: 1);
        var table = Table.FromArray(blobs.Span.ToArray().Select(v => 1e8 + v).ToArray(), Rows, Columns);
        var result = new Lloyd(K, 30).Compute(table, table.SliceRows(0, K));

        decimal objective = 0;
        for (int i = 0; i < Rows; i++)
        {
            int j = result.Assignments[i];
            for (int c = 0; c < Columns; c++)
            {
                decimal d = (decimal)(table[i, c] - result.Centroids[j, c]);
                objective += d * d;
            }
        }

        Assert.True(Math.Abs((double)objective - result.ObjectiveFunction) <= 1e-12 * (double)objective, $"objective {result.ObjectiveFunction} against {objective}");
    }

    [Fact]
    public void An_empty_cluster_is_reseeded_as_in_a_full_pass()
    {
        // The third initial centroid is far from every row: it empties in the first pass, which then runs in full to
        // find the farthest rows; both paths must reseed alike.
        var table = KMeansTestData.Blobs(seed: 5, rows: 1200, columns: 4, centres: 3, spread: 1);
        var init = Table.FromArray([.. table.Row(0), .. table.Row(1), 1e6, 1e6, 1e6, 1e6], 3, 4);
        var inMemory = new Lloyd(3, 20).Compute(table, init);
        var streamed = new Lloyd(3, 20).ComputeOutOfCore(() => [table], init);
        Assert.Equal(streamed.NIterations, inMemory.NIterations);
        Assert.Equal(streamed.Assignments, inMemory.Assignments);
        Assert.Equal(3, inMemory.Assignments.Distinct().Count());
        Compare.Relative(streamed.Centroids.Span, inMemory.Centroids.Span, 1e-13, floor: 1e-12);
    }

    [Fact]
    public void Ranks_with_no_rows_or_few_rows_agree_with_one_rank()
    {
        var table = KMeansTestData.Blobs(seed: 9, rows: 1500, columns: 6, centres: 5, spread: 2);
        var init = table.SliceRows(0, 5);
        var batch = new Lloyd(5, 25).Compute(table, init);
        var counts = new[] { 0, 700, 3, 797 };
        var results = Ranks.Run(4, s => new Lloyd(5, 25) { Distributed = true }.Compute(Ranks.Share(table, counts, s.Rank), init));
        Assert.All(results, r =>
        {
            Assert.Equal(batch.NIterations, r.NIterations);
            Compare.Relative(batch.Centroids.Span, r.Centroids.Span, 1e-13, floor: 1e-12);
            Compare.Relative([batch.ObjectiveFunction], [r.ObjectiveFunction], 1e-12);
        });
        Assert.Equal(batch.Assignments, results.SelectMany(r => r.Assignments).ToArray());
    }
}
