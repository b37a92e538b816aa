using Distal.Algorithms;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.KMeans;

[Trait("Category", "Algorithm")]
public class KMeansInitTests
{
    public static TheoryData<KMeansInitMethod, int> MethodsAndTrials => new()
    {
        { KMeansInitMethod.DeterministicDense, 1 },
        { KMeansInitMethod.RandomDense, 1 },
        { KMeansInitMethod.PlusPlusDense, 1 },
        { KMeansInitMethod.PlusPlusDense, 4 },
        { KMeansInitMethod.ParallelPlusDense, 1 },
        { KMeansInitMethod.ParallelPlusDense, 3 },
    };

    [Fact]
    public void Philox4x64_10_matches_numpy()
    {
        // numpy.random.Philox(counter=c, key=k).random_raw(4) is the block of counter c + 1.
        Span<ulong> block = stackalloc ulong[4];
        Philox4x64Random.Block(1, 0, 0, 0, 0, 0, block);
        Assert.Equal([0x02f4ba6408e4d89bUL, 0x3dd62b0b9ca8c5b2UL, 0x1c8667a55d902e79UL, 0x907d7a052fd5b4dcUL], block.ToArray());
        Philox4x64Random.Block(7, 7, 8, 9, 123456789, 0xABCDEF, block);
        Assert.Equal([0x83dfed5681f95f5aUL, 0xa676e93df709c67fUL, 0x9c5057bd8dd6d3b4UL, 0xcd57341a1a499abdUL], block.ToArray());
    }

    [Theory]
    [MemberData(nameof(MethodsAndTrials))]
    public void Distributed_equals_batch_bit_for_bit_on_1_to_8_ranks_with_uneven_and_empty_shares(KMeansInitMethod method, int trials)
    {
        var table = KMeansTestData.Blobs(seed: 5, rows: 700, columns: 6, centres: 9, spread: 1.0);
        const int K = 9;
        KMeansInit Create(bool distributed) => new(K, method) { Seed = 2024, NTrials = trials, Distributed = distributed };
        var batch = Create(false).Compute(table).Centroids.Span.ToArray();
        var random = new Random(17);
        for (int ranks = 1; ranks <= 8; ranks++)
        {
            var counts = ranks == 1 ? [table.Rows] : Ranks.RandomCounts(random, table.Rows, ranks);
            var results = Ranks.Run(ranks, s => Create(true).Compute(Ranks.Share(table, counts, s.Rank)).Centroids.Span.ToArray());
            foreach (var r in results)
            {
                Compare.Bitwise(batch, r, $"{method} split {string.Join('/', counts)}");
            }
        }
    }

    [Fact]
    public void Float_input_on_ranks_equals_float_batch()
    {
        var doubles = KMeansTestData.Blobs(seed: 6, rows: 300, columns: 3, centres: 4, spread: 0.5);
        var table = Table.FromArray(doubles.Span.ToArray().Select(v => (float)v).ToArray(), doubles.Rows, doubles.Columns);
        var batch = new KMeansInit(4, KMeansInitMethod.PlusPlusDense) { NTrials = 2 }.Compute(table).Centroids.Span.ToArray();
        var counts = new[] { 0, 120, 1, 179 };
        var results = Ranks.Run(4, s => new KMeansInit(4, KMeansInitMethod.PlusPlusDense) { NTrials = 2, Distributed = true }
            .Compute(Ranks.Share(table, counts, s.Rank)).Centroids.Span.ToArray());
        Compare.Bitwise(batch, results[3]);
    }

    [Fact]
    public void Deterministic_takes_the_first_rows_in_global_order()
    {
        var table = KMeansTestData.Blobs(seed: 7, rows: 50, columns: 4, centres: 3, spread: 1);
        var counts = new[] { 0, 2, 0, 48 };
        var results = Ranks.Run(4, s => new KMeansInit(5) { Distributed = true }.Compute(Ranks.Share(table, counts, s.Rank)).Centroids.Span.ToArray());
        Compare.Bitwise(table.SliceRows(0, 5).Span, results[0]);
    }

    [Theory]
    [InlineData(KMeansInitMethod.RandomDense)]
    [InlineData(KMeansInitMethod.PlusPlusDense)]
    [InlineData(KMeansInitMethod.ParallelPlusDense)]
    public void Centroids_are_distinct_data_rows_and_depend_on_the_seed(KMeansInitMethod method)
    {
        var table = KMeansTestData.Blobs(seed: 8, rows: 200, columns: 3, centres: 5, spread: 1);
        var rows = Enumerable.Range(0, table.Rows).Select(i => string.Join(',', table.Row(i).ToArray())).ToList();
        var first = new KMeansInit(8, method) { Seed = 1 }.Compute(table).Centroids;
        var again = new KMeansInit(8, method) { Seed = 1 }.Compute(table).Centroids;
        var other = new KMeansInit(8, method) { Seed = 2 }.Compute(table).Centroids;
        Compare.Bitwise(first.Span, again.Span);
        Assert.False(first.Span.SequenceEqual(other.Span));
        var chosen = Enumerable.Range(0, 8).Select(i => rows.IndexOf(string.Join(',', first.Row(i).ToArray()))).ToList();
        Assert.DoesNotContain(-1, chosen);
        Assert.Equal(8, chosen.Distinct().Count());
    }

    [Fact]
    public void Random_rows_are_uniform_over_global_rows()
    {
        // Each row is the first draw for about 1/n of the seeds: a χ² test with 9 degrees of freedom.
        var table = Table.FromArray(Enumerable.Range(0, 10).Select(i => (double)i).ToArray(), 10, 1);
        var hits = new int[10];
        const int Seeds = 4000;
        for (int seed = 0; seed < Seeds; seed++)
        {
            hits[(int)new KMeansInit(3, KMeansInitMethod.RandomDense) { Seed = seed }.Compute(table).Centroids[0, 0]]++;
        }

        double expected = Seeds / 10.0;
        double chi2 = hits.Sum(h => (h - expected) * (h - expected) / expected);
        Assert.True(chi2 < 27.9, $"χ² = {chi2} (p < 0.001 at 9 degrees of freedom)");
    }

    [Theory]
    [InlineData(KMeansInitMethod.DeterministicDense)]
    [InlineData(KMeansInitMethod.RandomDense)]
    [InlineData(KMeansInitMethod.PlusPlusDense)]
    [InlineData(KMeansInitMethod.ParallelPlusDense)]
    public void K_equal_to_the_row_count_takes_every_row(KMeansInitMethod method)
    {
        var table = KMeansTestData.Blobs(seed: 9, rows: 12, columns: 2, centres: 3, spread: 1);
        var centroids = new KMeansInit(12, method) { Seed = 3 }.Compute(table).Centroids;
        var expected = Enumerable.Range(0, 12).Select(i => string.Join(',', table.Row(i).ToArray())).Order().ToArray();
        var actual = Enumerable.Range(0, 12).Select(i => string.Join(',', centroids.Row(i).ToArray())).Order().ToArray();
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(KMeansInitMethod.DeterministicDense)]
    [InlineData(KMeansInitMethod.PlusPlusDense)]
    [InlineData(KMeansInitMethod.ParallelPlusDense)]
    public void More_clusters_than_rows_is_a_usage_error_on_every_rank(KMeansInitMethod method)
    {
        var table = KMeansTestData.Blobs(seed: 10, rows: 5, columns: 2, centres: 2, spread: 1);
        var counts = new[] { 2, 0, 3 };
        var kinds = Ranks.Run(3, s =>
        {
            var e = Assert.Throws<DistalException>(() => new KMeansInit(6, method) { Distributed = true }.Compute(Ranks.Share(table, counts, s.Rank)));
            Assert.Contains("6 clusters", e.Message);
            return e.Kind;
        });
        Assert.All(kinds, k => Assert.Equal(FailureKind.Usage, k));
    }

    [Fact]
    public void Parallel_plus_plus_objective_is_within_a_small_factor_of_plus_plus_on_blobs()
    {
        var table = KMeansTestData.Blobs(seed: 11, rows: 3000, columns: 5, centres: 12, spread: 0.4);
        double Objective(KMeansInitMethod method, long seed)
        {
            var init = new KMeansInit(12, method) { Seed = seed, NTrials = 3 }.Compute(table).Centroids;
            return new Algorithms.KMeans(12, 0).Compute(table, init).ObjectiveFunction;
        }

        double plusPlus = Enumerable.Range(0, 5).Select(s => Objective(KMeansInitMethod.PlusPlusDense, s)).Average();
        double parallel = Enumerable.Range(0, 5).Select(s => Objective(KMeansInitMethod.ParallelPlusDense, s)).Average();
        Assert.True(parallel <= 2 * plusPlus, $"k-means‖ {parallel} vs k-means++ {plusPlus}");
    }

    [Fact]
    public void Parallel_plus_plus_with_few_candidates_still_returns_k_distinct_rows()
    {
        // ℓ = 0.01·k draws almost nothing per round: the missing centroids come from k-means++ steps.
        var table = KMeansTestData.Blobs(seed: 12, rows: 400, columns: 3, centres: 6, spread: 0.5);
        var init = new KMeansInit(6, KMeansInitMethod.ParallelPlusDense) { OversamplingFactor = 0.01, NRounds = 1 }.Compute(table).Centroids;
        var distinct = Enumerable.Range(0, 6).Select(i => string.Join(',', init.Row(i).ToArray())).Distinct().Count();
        Assert.Equal(6, distinct);
    }

    [Fact]
    public void Rounds_and_oversampling_are_honoured()
    {
        var table = KMeansTestData.Blobs(seed: 13, rows: 2000, columns: 4, centres: 10, spread: 0.3);
        var a = new KMeansInit(10, KMeansInitMethod.ParallelPlusDense) { NRounds = 1 }.Compute(table).Centroids.Span.ToArray();
        var b = new KMeansInit(10, KMeansInitMethod.ParallelPlusDense) { NRounds = 4 }.Compute(table).Centroids.Span.ToArray();
        var c = new KMeansInit(10, KMeansInitMethod.ParallelPlusDense) { NRounds = 4, OversamplingFactor = 2 }.Compute(table).Centroids.Span.ToArray();
        Assert.False(a.SequenceEqual(b));
        Assert.False(b.SequenceEqual(c));
    }

    [Fact]
    public void Bad_parameters_are_usage_errors()
    {
        var table = KMeansTestData.Blobs(seed: 14, rows: 20, columns: 2, centres: 2, spread: 1);
        Assert.Equal(FailureKind.Usage, Assert.Throws<DistalException>(() => new KMeansInit(0).Compute(table)).Kind);
        Assert.Equal(FailureKind.Usage, Assert.Throws<DistalException>(() => new KMeansInit(2, KMeansInitMethod.PlusPlusDense) { NTrials = 0 }.Compute(table)).Kind);
        Assert.Equal(FailureKind.Usage, Assert.Throws<DistalException>(() => new KMeansInit(2, KMeansInitMethod.ParallelPlusDense) { NRounds = 0 }.Compute(table)).Kind);
        Assert.Equal(FailureKind.Usage, Assert.Throws<DistalException>(() => new KMeansInit(2, KMeansInitMethod.ParallelPlusDense) { OversamplingFactor = 0 }.Compute(table)).Kind);
    }

    [Fact]
    public void Method_strings_are_daal4py_s()
    {
        Assert.Equal(KMeansInitMethod.DeterministicDense, KMeansInitMethodNames.Parse("defaultDense"));
        Assert.Equal(KMeansInitMethod.PlusPlusDense, KMeansInitMethodNames.Parse("plusPlusDense"));
        Assert.Equal(KMeansInitMethod.ParallelPlusDense, KMeansInitMethodNames.Parse("parallelPlusDense"));
        Assert.Equal(KMeansInitMethod.RandomDense, KMeansInitMethodNames.Parse("randomDense"));
        Assert.Equal("plusPlusDense", KMeansInitMethodNames.ToName(KMeansInitMethod.PlusPlusDense));
        Assert.Equal(FailureKind.Usage, Assert.Throws<DistalException>(() => KMeansInitMethodNames.Parse("kmeans")).Kind);
    }
}
