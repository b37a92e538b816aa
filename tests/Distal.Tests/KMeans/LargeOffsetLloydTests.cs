using Distal.Algorithms;
using Lloyd = Distal.Algorithms.KMeans;

namespace Distal.Tests.KMeans;

/// <summary>
/// Lloyd on data with a large common offset (1e8 + blobs) must do what it does on the blobs themselves: the nearest
/// centroid is taken on rows and centroids minus the centroids' mean, so the rounding of ‖c‖² ≈ 1e16 per column no
/// longer decides it. Before the shift, these runs never settled (boundary rows flipped every pass until the iteration
/// limit) and their assignments differed from the blobs'.
/// </summary>
[Trait("Category", "Algorithm")]
public class LargeOffsetLloydTests
{
    private const double Offset = 1e8;

    [Theory]
    [InlineData(3000, 3, 4)]     // the fused tiles (and the float32 screen, which falls back on every row here)
    [InlineData(4000, 5, 30)]    // more clusters than the tiles serve: the general product
    public void Data_with_a_large_offset_settle_as_the_data_without_it(int rows, int columns, int k)
    {
        var (blobs, offset) = Pair(seed: rows + k, rows, columns, k);
        var plain = new Lloyd(k, 200).Compute(blobs, blobs.SliceRows(0, k));
        var shifted = new Lloyd(k, 200).Compute(offset, offset.SliceRows(0, k));

        Assert.True(plain.NIterations < 200, $"the blobs took {plain.NIterations} iterations");
        Assert.Equal(plain.NIterations, shifted.NIterations);
        Assert.Equal(plain.Assignments, shifted.Assignments);
        for (int i = 0; i < plain.Centroids.Span.Length; i++)
        {
            // The offset rows' means are exact to about one unit in the last place of 1e8 (1.5e-8).
            Assert.True(Math.Abs(plain.Centroids.Span[i] + Offset - shifted.Centroids.Span[i]) <= 1e-7, $"centroid value {i}: {shifted.Centroids.Span[i]} against {plain.Centroids.Span[i]} + 1e8");
        }
    }

    [Fact]
    public void Streamed_passes_settle_too_and_agree()
    {
        var (_, offset) = Pair(seed: 3004, rows: 3000, columns: 3, k: 4);
        var init = offset.SliceRows(0, 4);
        var inMemory = new Lloyd(4, 200).Compute(offset, init);
        var streamed = new Lloyd(4, 200).ComputeOutOfCore(() => [offset.SliceRows(0, 1000), offset.SliceRows(1000, 2000)], init);
        Assert.True(inMemory.NIterations < 200);
        Assert.Equal(inMemory.NIterations, streamed.NIterations);
        Assert.Equal(inMemory.Assignments, streamed.Assignments);
    }

    [Fact]
    public void The_model_predicts_the_fits_assignments()
    {
        var (_, offset) = Pair(seed: 3004, rows: 3000, columns: 3, k: 4);
        var fit = new Lloyd(4, 200).Compute(offset, offset.SliceRows(0, 4));
        Assert.True(fit.NIterations < 200);
        Assert.Equal(fit.Assignments, fit.Model.Predict(offset).Assignments);
    }

    [Fact]
    public void A_centroid_that_is_not_a_number_does_not_spoil_the_others()
    {
        // Its mean with the others is NaN, so there is no shift; the other centroids decide as before.
        var model = new KMeansModel(Table.FromArray([0.0, 0.0, double.NaN, double.NaN, 10.0, 10.0], 3, 2));
        var prediction = model.Predict(Table.FromArray([1.0, 1.0, 9.0, 9.0, 4.0, 4.0, 6.0, 6.0], 4, 2));
        Assert.Equal([0, 2, 0, 2], prediction.Assignments);
    }

    /// <summary>
    /// Blobs rounded to multiples of 2⁻¹⁰, and the same plus 1e8: both exact doubles (1e8's spacing is 2⁻²⁶), so the
    /// two tables are the same points, moved.
    /// </summary>
    private static (Table<double> Blobs, Table<double> Offset) Pair(int seed, int rows, int columns, int k)
    {
        var blobs = KMeansTestData.Blobs(seed, rows, columns, centres: k, spread: 1);
        double[] rounded = blobs.Span.ToArray().Select(v => Math.Round(v * 1024) / 1024).ToArray();
        return (Table.FromArray(rounded, rows, columns), Table.FromArray(rounded.Select(v => v + Offset).ToArray(), rows, columns));
    }
}
