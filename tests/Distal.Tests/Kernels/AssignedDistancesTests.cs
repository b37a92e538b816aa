using System.Runtime.Intrinsics.X86;
using Distal.Kernels;

namespace Distal.Tests.Kernels;

/// <summary>
/// Lloyd's bookkeeping kernel at this process's vector width (test.sh reruns it under DISTAL_SIMD=scalar and 128):
/// every distance bitwise its documented order and independent of the row's place, the sums bitwise a plain loop in
/// row order, the total the distances added in row order, and the distances accurate.
/// </summary>
[Trait("Category", "Algorithm")]
public class AssignedDistancesTests
{
    private static readonly bool Vectorized = SimdWidths.Default >= SimdWidth.Bits256 && Fma.IsSupported;

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    [InlineData(4, 4)]
    [InlineData(5, 5)]
    [InlineData(9, 8)]
    [InlineData(64, 20)]
    [InlineData(67, 21)]
    [InlineData(13, 33)]
    public void Distances_sums_and_total_are_bitwise_their_definitions(int n, int p)
    {
        const int K = 5;
        var random = new Random((n * 100) + p);
        double[] rows = [.. Enumerable.Range(0, n * p).Select(_ => (random.NextDouble() * 8) - 4)];
        double[] centroids = [.. Enumerable.Range(0, K * p).Select(_ => (random.NextDouble() * 8) - 4)];
        int[] nearest = [.. Enumerable.Range(0, n).Select(_ => random.Next(K))];
        var sums = Enumerable.Range(0, K * p).Select(_ => random.NextDouble()).ToArray();
        var expectedSums = (double[])sums.Clone();
        var distances = new double[n];
        double total = AssignedDistances.Compute(rows, nearest, centroids, sums, distances, p, 0.5);

        double expectedTotal = 0.5;
        for (int r = 0; r < n; r++)
        {
            double expected = Definition(rows.AsSpan(r * p, p), centroids.AsSpan(nearest[r] * p, p));
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(distances[r]));
            expectedTotal += expected;
            for (int c = 0; c < p; c++)
            {
                expectedSums[(nearest[r] * p) + c] += rows[(r * p) + c];
            }
        }

        Assert.Equal(BitConverter.DoubleToInt64Bits(expectedTotal), BitConverter.DoubleToInt64Bits(total));
        Assert.Equal(expectedSums.Select(BitConverter.DoubleToInt64Bits), sums.Select(BitConverter.DoubleToInt64Bits));

        // Without sums: the same distances and total.
        var again = new double[n];
        Assert.Equal(BitConverter.DoubleToInt64Bits(total), BitConverter.DoubleToInt64Bits(AssignedDistances.Compute(rows, nearest, centroids, [], again, p, 0.5)));
        Assert.Equal(distances, again);
    }

    [Fact]
    public void A_rows_distance_does_not_depend_on_its_place_in_the_block()
    {
        const int K = 3, P = 7, N = 23;
        var random = new Random(3);
        double[] rows = [.. Enumerable.Range(0, N * P).Select(_ => (random.NextDouble() * 2) - 1)];
        double[] centroids = [.. Enumerable.Range(0, K * P).Select(_ => (random.NextDouble() * 2) - 1)];
        int[] nearest = [.. Enumerable.Range(0, N).Select(r => r % K)];
        var whole = new double[N];
        AssignedDistances.Compute(rows, nearest, centroids, [], whole, P, 0);
        var alone = new double[1];
        for (int offset = 0; offset < 4; offset++)
        {
            var part = new double[N - offset];
            AssignedDistances.Compute(rows.AsSpan(offset * P), nearest.AsSpan(offset), centroids, [], part, P, 0);
            Assert.Equal(whole.AsSpan(offset).ToArray(), part);
        }

        for (int r = 0; r < N; r++)
        {
            AssignedDistances.Compute(rows.AsSpan(r * P, P), nearest.AsSpan(r, 1), centroids, [], alone, P, 0);
            Assert.Equal(whole[r], alone[0]);
        }
    }

    [Fact]
    public void Distances_are_accurate_and_zero_on_the_centroid()
    {
        // Rows 1e8 + [0, 1): the differences of two such doubles are exact (same exponent), so the distance is within a
        // few roundings of the exact one (their squares summed in decimal, 28 digits, from the exact differences; the
        // conversion keeps 15 of their ~16 digits), and a row equal to its centroid is at 0 exactly.
        const int K = 2, P = 20, N = 9;
        var random = new Random(8);
        double[] centroids = [.. Enumerable.Range(0, K * P).Select(_ => 1e8 + random.NextDouble())];
        double[] rows = [.. Enumerable.Range(0, N * P).Select(i => i < P ? centroids[i] : 1e8 + random.NextDouble())];
        int[] nearest = [.. Enumerable.Range(0, N).Select(r => r % K)];
        var distances = new double[N];
        AssignedDistances.Compute(rows, nearest, centroids, [], distances, P, 0);
        Assert.Equal(0, distances[0]);
        for (int r = 1; r < N; r++)
        {
            decimal exact = 0;
            for (int c = 0; c < P; c++)
            {
                decimal d = (decimal)(rows[(r * P) + c] - centroids[(nearest[r] * P) + c]);
                exact += d * d;
            }

            Assert.True(Math.Abs((double)exact - distances[r]) <= 1e-14 * (double)exact, $"row {r}: {distances[r]} against {exact}");
        }
    }

    [Fact]
    public void A_nearest_index_that_names_no_centroid_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AssignedDistances.Compute(new double[4], [2], new double[4], [], new double[1], 2, 0));
    }

    /// <summary>The documented order: at 256 bits a fused chain per lane over whole 4-column chunks, (l₀ + l₁) + (l₂ + l₃), then the rest fused one by one; else one fused chain.</summary>
    private static double Definition(ReadOnlySpan<double> x, ReadOnlySpan<double> c)
    {
        int p = x.Length;
        int whole = Vectorized ? p & ~3 : 0;
        double sum = 0;
        if (whole > 0)
        {
            var lanes = new double[4];
            for (int j = 0; j < whole; j += 4)
            {
                for (int l = 0; l < 4; l++)
                {
                    double d = x[j + l] - c[j + l];
                    lanes[l] = Math.FusedMultiplyAdd(d, d, lanes[l]);
                }
            }

            sum = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
        }

        if (whole == p)
        {
            return sum;
        }

        double tail = 0;
        for (int j = whole; j < p; j++)
        {
            double d = x[j] - c[j];
            tail = Math.FusedMultiplyAdd(d, d, tail);
        }

        return whole == 0 ? tail : sum + tail;
    }
}
