using Distal.Kernels;

namespace Distal.Tests.Kernels;

/// <summary>
/// The first k-means++ pass's four-rows-at-a-time distances: bitwise <see cref="SquaredDistance.Between"/> for every
/// row, at every column count's remainder path (test.sh's DISTAL_SIMD=scalar and 128 runs take the row-wise path).
/// </summary>
public class SquaredDistanceLanesTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(5, 4)]
    [InlineData(7, 5)]
    [InlineData(9, 7)]
    [InlineData(8, 8)]
    [InlineData(13, 9)]
    [InlineData(6, 12)]
    [InlineData(37, 13)]
    [InlineData(11, 20)]
    [InlineData(258, 23)]
    [InlineData(5, 33)]
    public void Every_row_is_bitwise_the_row_wise_distance(int n, int p)
    {
        var random = new Random((n * 100) + p);
        double[] rows = [.. Enumerable.Range(0, n * p).Select(_ => (random.NextDouble() * 6) - 3)];
        double[] centre = [.. Enumerable.Range(0, p).Select(_ => (random.NextDouble() * 6) - 3)];
        var result = new double[n + 3];
        Array.Fill(result, -1.0);
        SquaredDistanceLanes.OfRows(rows, centre, result.AsSpan(0, n), new double[SquaredDistanceLanes.ScratchLength(p)]);
        for (int i = 0; i < n; i++)
        {
            double expected = SquaredDistance.Between(rows.AsSpan(i * p, p), centre);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(result[i]));
        }

        Assert.All(result[n..], v => Assert.Equal(-1.0, v));
    }

    [Theory]
    [InlineData(9, 6)]
    [InlineData(17, 20)]
    public void Every_row_equals_the_exact_integer_sum(int n, int p)
    {
        // Multiples of 2⁻²⁰ below 4 in magnitude: every operation is exact, so any order must give the integer answer.
        var random = new Random((n * 31) + p);
        long[] rowUnits = [.. Enumerable.Range(0, n * p).Select(_ => (long)random.Next(-(4 << 20), 4 << 20))];
        long[] centreUnits = [.. Enumerable.Range(0, p).Select(_ => (long)random.Next(-(4 << 20), 4 << 20))];
        var result = new double[n];
        SquaredDistanceLanes.OfRows([.. rowUnits.Select(u => Math.ScaleB(u, -20))], [.. centreUnits.Select(u => Math.ScaleB(u, -20))], result, new double[SquaredDistanceLanes.ScratchLength(p)]);
        for (int i = 0; i < n; i++)
        {
            long exact = 0;
            for (int c = 0; c < p; c++)
            {
                long d = rowUnits[(i * p) + c] - centreUnits[c];
                exact += d * d;
            }

            Assert.Equal(Math.ScaleB(exact, -40), result[i]);
        }
    }
}
