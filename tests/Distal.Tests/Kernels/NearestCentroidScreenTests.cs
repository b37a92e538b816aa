using Distal.Algorithms;
using Distal.Kernels;

namespace Distal.Tests.Kernels;

/// <summary>
/// The float32 screen must give every row exactly the double kernel's answer (<see cref="NearestCentroidLanes"/>):
/// on easy data from the screen itself, and on near ties, large offsets, tiny and huge values, NaN and infinities from
/// its fallback. At DISTAL_SIMD=scalar or 128 (test.sh's reruns) no screen is built, which the first test checks.
/// </summary>
[Trait("Category", "Algorithm")]
public class NearestCentroidScreenTests
{
    [Fact]
    public void The_screen_is_built_exactly_where_it_applies()
    {
        bool wide = SimdWidths.Default >= SimdWidth.Bits256 && System.Runtime.Intrinsics.X86.Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported;
        Assert.Equal(wide, NearestCentroidScreen.Applies(10, 20));
        Assert.False(NearestCentroidScreen.Applies(1, 20));
        Assert.False(NearestCentroidScreen.Applies(NearestCentroidLanes.MaxClusters + 1, 20));
        Assert.False(NearestCentroidScreen.Applies(10, NearestCentroidScreen.MaxColumns + 1));
        Assert.Equal(wide, new AssignmentCentroids(new double[20], 2, 10).Screen is not null);

        // Centroids beyond float's comfortable range (‖c‖² > 1e30) or not finite: no screen.
        Assert.Null(new AssignmentCentroids([1e16, 0, 0, 0], 2, 2).Screen);
        Assert.Null(new AssignmentCentroids([double.NaN, 0, 0, 0], 2, 2).Screen);
    }

    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        int[] rows = [1, 7, 8, 9, 16, 37, 64, 101];
        int[] columns = [1, 2, 3, 4, 5, 7, 8, 13, 20, 33];
        for (int k = 2; k <= NearestCentroidLanes.MaxClusters; k++)
        {
            data.Add(rows[k % rows.Length], k, columns[k % columns.Length]);
            data.Add(rows[(k + 3) % rows.Length], k, columns[(k + 5) % columns.Length]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_row_gets_the_double_kernels_answer_packing_as_it_goes_and_from_a_packed_copy(int n, int k, int p)
    {
        var random = new Random((n * 1000) + (k * 40) + p);
        double[] rows = [.. Enumerable.Range(0, n * p).Select(_ => (random.NextDouble() * 6) - 3)];
        double[] centroids = [.. Enumerable.Range(0, k * p).Select(_ => (random.NextDouble() * 6) - 3)];
        AssertSameAsDouble(rows, centroids, k, p);
    }

    [Theory]
    [InlineData(2, 3)]
    [InlineData(5, 20)]
    [InlineData(10, 20)]
    [InlineData(17, 9)]
    public void Near_ties_at_every_scale_of_the_gap_fall_back_where_float_cannot_tell(int k, int p)
    {
        // Rows on the bisector of two centroids, moved towards one of them by a relative 1e-1 … 1e-15: around float's
        // precision (1e-6 … 1e-8) a bound that is too small would certify the wrong side. Exact midpoints (tie → the
        // lower index) included.
        var random = new Random((k * 7) + p);
        double[] centroids = [.. Enumerable.Range(0, k * p).Select(_ => (random.NextDouble() * 4) - 2)];
        var rows = new List<double>();
        for (int i = 0; i < 3000; i++)
        {
            int a = random.Next(k);
            int b = (a + 1 + random.Next(k - 1)) % k;
            double scale = Math.Pow(10, -1 - (i % 15)) * (random.Next(2) == 0 ? 1 : -1);
            if (i % 16 == 0)
            {
                scale = 0;
            }

            for (int c = 0; c < p; c++)
            {
                double ca = centroids[(a * p) + c];
                double cb = centroids[(b * p) + c];
                rows.Add(((ca + cb) / 2) + (scale * (cb - ca)));
            }
        }

        int fallbacks = AssertSameAsDouble([.. rows], centroids, k, p);
        if (NearestCentroidScreen.Applies(k, p))
        {
            Assert.InRange(fallbacks, 1, rows.Count / p);
        }
    }

    [Fact]
    public void Data_with_a_large_offset_fall_back_and_still_get_the_double_answer()
    {
        // 1e8 + N(0, 1): float32 keeps 8 units of 1e8, so the screen can decide almost nothing.
        const int K = 6, P = 5;
        var random = new Random(5);
        double[] centroids = [.. Enumerable.Range(0, K * P).Select(_ => 1e8 + (random.NextDouble() * 4) - 2)];
        double[] rows = [.. Enumerable.Range(0, 500 * P).Select(_ => 1e8 + (random.NextDouble() * 4) - 2)];
        int fallbacks = AssertSameAsDouble(rows, centroids, K, P);
        if (NearestCentroidScreen.Applies(K, P))
        {
            Assert.True(fallbacks > 450, $"{fallbacks} of 500 rows fell back");
        }
    }

    [Fact]
    public void Tiny_huge_and_non_finite_values_get_the_double_answer()
    {
        const int K = 4, P = 3;
        var random = new Random(11);
        double[] centroids = [.. Enumerable.Range(0, K * P).Select(_ => (random.NextDouble() * 2) - 1)];
        double[] special = [1e-30, -1e-42, 1e-310, 3e38, -5e38, 1e300, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0, -0.0, double.Epsilon];
        var rows = new List<double>();
        foreach (double value in special)
        {
            for (int c = 0; c < P; c++)
            {
                rows.Add(value);
            }

            rows.Add(value);
            rows.Add(0.25);
            rows.Add(-0.5);
        }

        AssertSameAsDouble([.. rows], centroids, K, P);

        // Tiny centroids as well: every float product underflows.
        double[] tiny = [.. centroids.Select(v => v * 1e-25)];
        double[] tinyRows = [.. Enumerable.Range(0, 40 * P).Select(_ => ((random.NextDouble() * 2) - 1) * 1e-25)];
        AssertSameAsDouble(tinyRows, tiny, K, P);
    }

    [Theory]
    [InlineData(10, 20, 0)]
    [InlineData(10, 20, 3)]
    [InlineData(7, 5, 5)]
    [InlineData(3, 33, 13)]
    public void A_worker_gives_the_same_assignments_and_bitwise_the_same_partial_with_or_without_the_screen_and_the_copy(int k, int p, int firstRow)
    {
        // The worker's range starts at firstRow of its chunk: rows before the first whole packed block are screened
        // as they come, the rest from the copy.
        var random = new Random((k * 13) + p + firstRow);
        const int N = 1000;
        double[] table = [.. Enumerable.Range(0, (N + firstRow) * p).Select(_ => (random.NextDouble() * 8) - 4)];
        double[] centroids = [.. Enumerable.Range(0, k * p).Select(_ => (random.NextDouble() * 8) - 4)];
        var copy = PackedRows.TryCreate(new TableChunks<double>(Table.FromArray(table, N + firstRow, p)), k, p, threads: 1);
        Assert.Equal(NearestCentroidScreen.Applies(k, p), copy is not null);
        var rows = table.AsSpan(firstRow * p).ToArray();

        var exact = Run(new AssignmentCentroids(centroids, k, p, allowScreen: false), null);
        var screened = Run(new AssignmentCentroids(centroids, k, p), null);
        var fromCopy = Run(new AssignmentCentroids(centroids, k, p), copy);
        foreach (var other in new[] { screened, fromCopy })
        {
            Assert.Equal(exact.Assignments, other.Assignments);
            Assert.Equal(exact.Counts, other.Counts);
            Assert.Equal(exact.Sums.Select(BitConverter.DoubleToInt64Bits), other.Sums.Select(BitConverter.DoubleToInt64Bits));
            Assert.Equal(BitConverter.DoubleToInt64Bits(exact.Objective), BitConverter.DoubleToInt64Bits(other.Objective));
        }

        (int[] Assignments, long[] Counts, double[] Sums, double Objective) Run(AssignmentCentroids set, PackedRows? packed)
        {
            var worker = new AssignmentWorker(k, p, accumulate: true, farthestCapacity: 3);
            var assignments = Enumerable.Repeat(-1, N).ToArray();
            worker.Process<double>(rows, assignments, 0, set, DenseKernels.Current, packed, firstRow);
            return (assignments, worker.Partial.Counts, worker.Partial.Sums, worker.Partial.Objective);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_packed_copy_is_the_same_whatever_the_threads_that_make_it(int threads)
    {
        // 20 003 × 7 values make several ranges (and a last block of three rows): each range must land at its blocks.
        const int N = 20_003, P = 7;
        var random = new Random(threads);
        double[] table = [.. Enumerable.Range(0, N * P).Select(_ => (random.NextDouble() * 8) - 4)];
        var copy = PackedRows.TryCreate(new TableChunks<double>(Table.FromArray(table, N, P)), 4, P, threads);
        if (!NearestCentroidScreen.Applies(4, P))
        {
            Assert.Null(copy);
            return;
        }

        var expected = new float[NearestCentroidScreen.PackedLength(N, P)];
        NearestCentroidScreen.Pack(table, P, expected);
        Assert.Equal(expected, copy!.From(0).ToArray());

        // And of float rows: the same copy.
        float[] singles = [.. table.Select(v => (float)v)];
        var fromSingles = PackedRows.TryCreate(new TableChunks<float>(Table.FromArray(singles, N, P)), 4, P, threads)!;
        NearestCentroidScreen.Pack([.. singles.Select(v => (double)v)], P, expected);
        Assert.Equal(expected, fromSingles.From(0).ToArray());
    }

    /// <summary>Checks both screen entries against the double kernel row by row; returns the fallback count.</summary>
    private static int AssertSameAsDouble(double[] rows, double[] centroids, int k, int p)
    {
        int n = rows.Length / p;
        var norms = Enumerable.Range(0, k).Select(j => SquaredDistance.Norm(centroids.AsSpan(j * p, p))).ToArray();
        var exact = new NearestCentroidLanes(centroids, norms, k, p);
        var expected = new int[n];
        exact.NearestOfRows(rows, expected, new double[NearestCentroidLanes.ScratchLength(p)]);
        var screen = NearestCentroidScreen.TryCreate(exact, centroids, norms, k, p);
        if (screen is null)
        {
            return 0;
        }

        var fallbackScratch = new double[NearestCentroidScreen.FallbackScratchLength(p)];
        var asItGoes = new int[n];
        int fallbacks = screen.NearestOfRows(rows, asItGoes, new float[NearestCentroidScreen.BlockLength(p)], fallbackScratch);
        Assert.Equal(expected, asItGoes);

        var packed = new float[NearestCentroidScreen.PackedLength(n, p)];
        NearestCentroidScreen.Pack(rows, p, packed);
        var fromCopy = new int[n];
        Assert.Equal(fallbacks, screen.NearestOfPacked(packed, rows, fromCopy, fallbackScratch));
        Assert.Equal(expected, fromCopy);
        return fallbacks;
    }
}
