using Distal.Algorithms;
using Distal.Tests.Infrastructure;
using Lloyd = Distal.Algorithms.KMeans;

namespace Distal.Tests.KMeans;

[Trait("Category", "Algorithm")]
public class KMeansLloydTests
{
    public static TheoryData<string> SklearnCaseNames => ["converged", "capped", "empty"];

    [Theory]
    [MemberData(nameof(SklearnCaseNames))]
    public void Matches_scikit_learn_lloyd_from_the_same_initial_centroids(string name)
    {
        var c = KMeansTestData.SklearnCases().Single(x => x.Name == name);
        var result = new Lloyd(c.InitialCentroids.Rows, c.MaxIterations).Compute(c.Data, c.InitialCentroids);
        Compare.MatrixNorm(c.Centroids.Span, result.Centroids.Span, 1e-9, "centroids");
        Compare.Relative([c.ObjectiveFunction], [result.ObjectiveFunction], 1e-9, what: "objective");
        Assert.Equal(c.Assignments, result.Assignments);
        Assert.Equal(c.NIterations, result.NIterations);
    }

    [Theory]
    [MemberData(nameof(SklearnCaseNames))]
    public void Distributed_on_1_to_8_ranks_equals_batch_with_assignments_per_rank(string name)
    {
        var c = KMeansTestData.SklearnCases().Single(x => x.Name == name);
        int k = c.InitialCentroids.Rows;
        var batch = new Lloyd(k, c.MaxIterations).Compute(c.Data, c.InitialCentroids);
        var random = new Random(name.Length);
        for (int ranks = 1; ranks <= 8; ranks++)
        {
            var counts = ranks == 1 ? [c.Data.Rows] : Ranks.RandomCounts(random, c.Data.Rows, ranks);
            var results = Ranks.Run(ranks, s => new Lloyd(k, c.MaxIterations) { Distributed = true }.Compute(Ranks.Share(c.Data, counts, s.Rank), c.InitialCentroids));
            string split = string.Join('/', counts);
            Compare.MatrixNorm(batch.Centroids.Span, results[0].Centroids.Span, 1e-12, $"centroids, split {split}");
            Compare.Relative([batch.ObjectiveFunction], [results[0].ObjectiveFunction], 1e-12, what: $"objective, split {split}");
            Assert.Equal(batch.NIterations, results[0].NIterations);
            Assert.Equal(batch.Assignments, results.SelectMany(r => r.Assignments).ToArray());
            for (int r = 0; r < ranks; r++)
            {
                Assert.Equal(counts[r], results[r].Assignments.Length);
                Compare.Bitwise(results[0].Centroids.Span, results[r].Centroids.Span, "rank agreement");
                Assert.Equal(BitConverter.DoubleToInt64Bits(results[0].ObjectiveFunction), BitConverter.DoubleToInt64Bits(results[r].ObjectiveFunction));
            }
        }
    }

    [Fact]
    public void Objective_to_the_final_centroids_never_increases_with_more_iterations()
    {
        var table = KMeansTestData.Blobs(seed: 21, rows: 1500, columns: 4, centres: 8, spread: 2.5);
        var init = new KMeansInit(8, KMeansInitMethod.RandomDense) { Seed = 5 }.Compute(table).Centroids;
        double previous = new Lloyd(8, 0).Compute(table, init).ObjectiveFunction;
        for (int iterations = 1; iterations <= 15; iterations++)
        {
            var result = new Lloyd(8, iterations).Compute(table, init);
            Assert.True(result.ObjectiveFunction <= previous * (1 + 1e-14), $"iteration {iterations}: {result.ObjectiveFunction} > {previous}");
            Assert.Equal(Reference(table, result.Centroids).Objective, result.ObjectiveFunction, 1e-9 * result.ObjectiveFunction);
            previous = result.ObjectiveFunction;
        }
    }

    [Fact]
    public void Iteration_objectives_decrease_and_the_rule_stops_at_a_fixed_point()
    {
        var table = KMeansTestData.Blobs(seed: 22, rows: 800, columns: 3, centres: 5, spread: 2);
        var init = new KMeansInit(5, KMeansInitMethod.DeterministicDense).Compute(table).Centroids;
        var seen = new List<LloydIteration>();
        var result = new Lloyd(5, 500) { Observer = seen.Add }.Compute(table, init);
        Assert.Equal(result.NIterations, seen.Count);
        for (int i = 1; i < seen.Count; i++)
        {
            Assert.True(seen[i].Objective <= seen[i - 1].Objective * (1 + 1e-14), $"J({i + 1}) > J({i})");
        }

        Assert.Equal(0, seen[^1].Changed);
        Assert.True(result.NIterations < 500);

        // At the fixed point the centroids are the means of their rows.
        var (objective, assignments, means) = Reference(table, result.Centroids);
        Assert.Equal(assignments, result.Assignments);
        Compare.MatrixNorm(means, result.Centroids.Span, 1e-13, "centroids are means");
        Compare.Relative([objective], [result.ObjectiveFunction], 1e-12, what: "objective");
    }

    [Fact]
    public void Accuracy_threshold_stops_when_the_objective_barely_moves()
    {
        var table = KMeansTestData.Blobs(seed: 23, rows: 2000, columns: 3, centres: 10, spread: 3);
        var init = new KMeansInit(10, KMeansInitMethod.DeterministicDense).Compute(table).Centroids;
        var all = new List<LloydIteration>();
        var full = new Lloyd(10, 300) { Observer = all.Add }.Compute(table, init);
        Assert.True(all.Count >= 6, $"only {all.Count} iterations");

        // A threshold just above the change between iterations 3 and 4 stops there at the latest.
        double threshold = Math.Abs(all[2].Objective - all[3].Objective) * (1 + 1e-9);
        int expected = 2 + all.Skip(1).Select((x, i) => Math.Abs(all[i].Objective - x.Objective)).TakeWhile(d => !(d < threshold)).Count();
        var stopped = new Lloyd(10, 300) { AccuracyThreshold = threshold }.Compute(table, init);
        Assert.Equal(Math.Min(expected, full.NIterations), stopped.NIterations);
        Assert.True(stopped.NIterations < full.NIterations);
    }

    [Fact]
    public void Empty_clusters_are_reseeded_with_the_farthest_rows_never_NaN()
    {
        var table = KMeansTestData.Blobs(seed: 24, rows: 500, columns: 2, centres: 3, spread: 1);
        var init = Table<double>.Create(6, 2);
        table.SliceRows(0, 2).Span.CopyTo(init.Span);
        for (int j = 2; j < 6; j++)
        {
            init[j, 0] = 1e4 * j;
            init[j, 1] = -1e4;
        }

        var seen = new List<LloydIteration>();
        var result = new Lloyd(6, 100) { Observer = seen.Add }.Compute(table, init);
        Assert.True(seen[0].Reseeded);
        Assert.All(result.Centroids.Span.ToArray(), v => Assert.True(double.IsFinite(v)));
        Assert.Equal(6, result.Assignments.Distinct().Count());

        // Four empty clusters on 3 ranks (one empty) give the batch result.
        var counts = new[] { 200, 0, 300 };
        var results = Ranks.Run(3, s => new Lloyd(6, 100) { Distributed = true }.Compute(Ranks.Share(table, counts, s.Rank), init));
        Compare.MatrixNorm(result.Centroids.Span, results[2].Centroids.Span, 1e-12);
        Assert.Equal(result.Assignments, results.SelectMany(r => r.Assignments).ToArray());
    }

    [Fact]
    public void Duplicate_rows_and_k_equal_n_give_zero_objective_and_finite_centroids()
    {
        // Three distinct points, five clusters: two clusters stay empty under "ties go to the lowest index" and are
        // re-seeded every iteration with rows taken from clusters that keep one.
        var table = Table.FromArray(new double[] { 1, 1, 1, 1, 2, 2, 5, 5, 5, 5 }, 5, 2);
        var init = new KMeansInit(5, KMeansInitMethod.DeterministicDense).Compute(table).Centroids;
        var seen = new List<LloydIteration>();
        var result = new Lloyd(5, 10) { Observer = seen.Add }.Compute(table, init);
        Assert.Equal(0, result.ObjectiveFunction);
        Assert.All(seen, s => Assert.True(s.Reseeded));
        Assert.All(result.Centroids.Span.ToArray(), v => Assert.True(double.IsFinite(v)));
        var points = Enumerable.Range(0, 5).Select(j => (result.Centroids[j, 0], result.Centroids[j, 1])).Distinct().Order().ToArray();
        Assert.Equal([(1.0, 1.0), (2.0, 2.0), (5.0, 5.0)], points);
        Assert.Equal([0, 0, 2, 3, 3], result.Assignments);
    }

    [Fact]
    public void K_equal_one_gives_the_mean_and_the_total_sum_of_squares()
    {
        var table = KMeansTestData.Blobs(seed: 25, rows: 333, columns: 4, centres: 3, spread: 1);
        var init = Table.FromArray(new double[] { 100, 100, 100, 100 }, 1, 4);
        var result = new Lloyd(1, 10).Compute(table, init);
        var (objective, _, means) = Reference(table, Table.FromArray(Mean(table), 1, 4));
        Compare.Relative(means, result.Centroids.Span, 1e-13, floor: 1, what: "mean");
        Compare.Relative([objective], [result.ObjectiveFunction], 1e-12, what: "total sum of squares");
        Assert.Equal(2, result.NIterations);
        Assert.All(result.Assignments, a => Assert.Equal(0, a));
    }

    [Fact]
    public void K_equal_n_puts_every_row_in_its_own_cluster()
    {
        var table = KMeansTestData.Blobs(seed: 26, rows: 40, columns: 3, centres: 4, spread: 1);
        var init = new KMeansInit(40, KMeansInitMethod.PlusPlusDense).Compute(table).Centroids;
        var counts = new[] { 0, 13, 27 };
        var results = Ranks.Run(3, s => new Lloyd(40, 10) { Distributed = true }.Compute(Ranks.Share(table, counts, s.Rank), init));
        Assert.Equal(0, results[0].ObjectiveFunction);
        Assert.Equal(40, results.SelectMany(r => r.Assignments).Distinct().Count());

        // The initial centroids are the rows themselves: iteration 1 leaves every centroid where it was, so the run
        // stops there (as scikit-learn does when the centre shift is within tolerance).
        Assert.Equal(1, results[0].NIterations);
    }

    [Fact]
    public void Zero_iterations_assign_rows_to_the_initial_centroids()
    {
        var table = KMeansTestData.Blobs(seed: 27, rows: 300, columns: 2, centres: 3, spread: 1);
        var init = new KMeansInit(3, KMeansInitMethod.RandomDense).Compute(table).Centroids;
        var result = new Lloyd(3, 0).Compute(table, init);
        Compare.Bitwise(init.Span, result.Centroids.Span);
        Assert.Equal(0, result.NIterations);
        var (objective, assignments, _) = Reference(table, init);
        Assert.Equal(assignments, result.Assignments);
        Compare.Relative([objective], [result.ObjectiveFunction], 1e-12);
    }

    [Fact]
    public void Prediction_on_chunks_equals_the_training_assignments()
    {
        var table = KMeansTestData.Blobs(seed: 28, rows: 1000, columns: 5, centres: 4, spread: 1.5);
        var result = new Lloyd(4, 50) { InitMethod = KMeansInitMethod.PlusPlusDense, Seed = 3 }.Compute(table);
        var model = result.Model;
        var chunks = new[] { (0, 100), (100, 1), (101, 899) };
        var assignments = new List<int>();
        double objective = 0;
        foreach (var (start, count) in chunks)
        {
            var prediction = model.Predict(table.SliceRows(start, count));
            assignments.AddRange(prediction.Assignments);
            objective += prediction.ObjectiveFunction;
        }

        Assert.Equal(result.Assignments, assignments);
        Compare.Relative([result.ObjectiveFunction], [objective], 1e-12);
        Assert.Equal(FailureKind.Input, Assert.Throws<DistalException>(() => model.Predict(Table<double>.Create(2, 3))).Kind);
    }

    [Fact]
    public void Float_input_is_clustered_in_double()
    {
        var doubles = KMeansTestData.Blobs(seed: 29, rows: 400, columns: 3, centres: 4, spread: 1);
        var floats = Table.FromArray(doubles.Span.ToArray().Select(v => (float)v).ToArray(), 400, 3);
        var widened = floats.ToDouble();
        var init = new KMeansInit(4, KMeansInitMethod.DeterministicDense).Compute(widened).Centroids;
        var fromFloat = new Lloyd(4, 30).Compute(floats, init);
        var fromDouble = new Lloyd(4, 30).Compute(widened, init);
        Compare.Bitwise(fromDouble.Centroids.Span, fromFloat.Centroids.Span);
        Assert.Equal(fromDouble.Assignments, fromFloat.Assignments);
    }

    [Fact]
    public void Out_of_core_rereads_files_and_equals_in_memory()
    {
        var table = KMeansTestData.Blobs(seed: 30, rows: 900, columns: 4, centres: 5, spread: 2);
        var init = new KMeansInit(5, KMeansInitMethod.DeterministicDense).Compute(table).Centroids;
        string dir = Directory.CreateTempSubdirectory("distal-kmeans-").FullName;
        try
        {
            var counts = new[] { 400, 0, 500 };
            var paths = new List<string>();
            for (int part = 0; part < counts.Length; part++)
            {
                string path = Path.Combine(dir, $"part{part}.csv");
                var share = Ranks.Share(table, counts, part);
                File.WriteAllLines(path, Enumerable.Range(0, share.Rows).Select(i => string.Join(',', share.Row(i).ToArray().Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + (i % 2 == 0 ? "," : "")));
                paths.Add(path);
            }

            var inMemory = new Lloyd(5, 40).Compute(table, init);
            var batch = new Lloyd(5, 40).ComputeOutOfCore(paths, init, chunkRows: 37);
            Compare.MatrixNorm(inMemory.Centroids.Span, batch.Centroids.Span, 1e-12);
            Assert.Equal(inMemory.Assignments, batch.Assignments);
            Assert.Equal(inMemory.NIterations, batch.NIterations);

            // Distributed out-of-core: rank r streams file r.
            var results = Ranks.Run(3, s => new Lloyd(5, 40) { Distributed = true }.ComputeOutOfCore([paths[s.Rank]], init, chunkRows: 50));
            Compare.MatrixNorm(inMemory.Centroids.Span, results[1].Centroids.Span, 1e-12);
            Assert.Equal(inMemory.Assignments, results.SelectMany(r => r.Assignments).ToArray());

            // A bad row fails on every rank with the file and line.
            File.AppendAllText(paths[2], "1,2,x,4\n");
            var errors = Ranks.Run(3, s => Assert.Throws<DistalException>(() => new Lloyd(5, 40) { Distributed = true }.ComputeOutOfCore([paths[s.Rank]], init, 64)).Message);
            Assert.All(errors, m => Assert.Contains("part2.csv:501", m));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Bad_inputs_are_clear_errors()
    {
        var table = KMeansTestData.Blobs(seed: 31, rows: 10, columns: 2, centres: 2, spread: 1);
        var init3 = Table<double>.Create(3, 2);
        Assert.Equal(FailureKind.Usage, Assert.Throws<DistalException>(() => new Lloyd(2, 5).Compute(table, init3)).Kind);
        Assert.Equal(FailureKind.Input, Assert.Throws<DistalException>(() => new Lloyd(3, 5).Compute(table, Table<double>.Create(3, 4))).Kind);
        var tooMany = Table<double>.Create(11, 2);
        var e = Assert.Throws<DistalException>(() => new Lloyd(11, 5).Compute(table, tooMany));
        Assert.Equal(FailureKind.Usage, e.Kind);
        Assert.Equal(FailureKind.Usage, Assert.Throws<DistalException>(() => new Lloyd(2, -1).Compute(table, Table<double>.Create(2, 2))).Kind);
        var counts = new[] { 4, 6 };
        var kinds = Ranks.Run(2, s => Assert.Throws<DistalException>(() => new Lloyd(11, 5) { Distributed = true }.Compute(Ranks.Share(table, counts, s.Rank), tooMany)).Kind);
        Assert.All(kinds, k => Assert.Equal(FailureKind.Usage, k));
    }

    /// <summary>Straightforward float64 reference: nearest centroids by direct differences, objective, per-cluster means.</summary>
    private static (double Objective, int[] Assignments, double[] Means) Reference(Table<double> data, Table<double> centroids)
    {
        int k = centroids.Rows, p = data.Columns;
        var assignments = new int[data.Rows];
        var sums = new double[k * p];
        var counts = new int[k];
        double objective = 0;
        for (int i = 0; i < data.Rows; i++)
        {
            int best = 0;
            double bestDistance = double.PositiveInfinity;
            for (int j = 0; j < k; j++)
            {
                double d = 0;
                for (int c = 0; c < p; c++)
                {
                    double diff = data[i, c] - centroids[j, c];
                    d += diff * diff;
                }

                if (d < bestDistance)
                {
                    bestDistance = d;
                    best = j;
                }
            }

            assignments[i] = best;
            objective += bestDistance;
            counts[best]++;
            for (int c = 0; c < p; c++)
            {
                sums[(best * p) + c] += data[i, c];
            }
        }

        for (int j = 0; j < k; j++)
        {
            for (int c = 0; c < p; c++)
            {
                sums[(j * p) + c] /= Math.Max(1, counts[j]);
            }
        }

        return (objective, assignments, sums);
    }

    private static double[] Mean(Table<double> data)
    {
        var mean = new double[data.Columns];
        for (int i = 0; i < data.Rows; i++)
        {
            for (int c = 0; c < data.Columns; c++)
            {
                mean[c] += data[i, c];
            }
        }

        return mean.Select(m => m / data.Rows).ToArray();
    }
}
