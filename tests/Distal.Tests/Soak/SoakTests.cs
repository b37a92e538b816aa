using System.Diagnostics;
using System.Globalization;
using Distal.Algorithms;
using Distal.Communication;
using Distal.Tests.Harness;
using Distal.Tests.Infrastructure;
using Lloyd = Distal.Algorithms.KMeans;

namespace Distal.Tests.Soak;

/// <summary>
/// Soak and scale (docs/scaling.md, "Soak"): 64 embedded ranks for every algorithm family, a generated stream through
/// moments, covariance and out-of-core k-means in bounded memory, and repeated session start-up and disposal with no
/// growth in memory or threads. The quick mode runs in CI; DISTAL_SOAK_ROWS=100000000 is the long mode.
/// The class runs alone (its own collection, not in parallel), so that other tests' threads and allocations do not
/// enter its measurements.
/// </summary>
[Trait("Category", "Soak")]
[Collection(nameof(RunsAlone))]
public class SoakTests(ITestOutputHelper output)
{
    public static TheoryData<string> Cases => new(MergeCases.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_mergeable_algorithm_on_64_embedded_ranks_equals_batch(string name)
        => MergeCases.Named(name).AnySplitEqualsBatch(64, new Random(64 + name.Length));

    [Fact]
    public void KMeans_on_64_embedded_ranks_equals_batch()
    {
        var table = KMeans.KMeansTestData.Blobs(seed: 64, rows: 3000, columns: 3, centres: 6, spread: 2.0);
        var init = new KMeansInit(6, KMeansInitMethod.RandomDense) { Seed = 3 }.Compute(table).Centroids;
        var batch = new Lloyd(6, 20).Compute(table, init);
        int[] counts = Ranks.RandomCounts(new Random(64), table.Rows, 64);
        var results = Ranks.Run(64, s => new Lloyd(6, 20) { Distributed = true }.Compute(Ranks.Share(table, counts, s.Rank), init));
        Compare.MatrixNorm(batch.Centroids.Span, results[0].Centroids.Span, 1e-12, "centroids on 64 ranks");
        Assert.Equal(batch.NIterations, results[0].NIterations);
        Assert.Equal(batch.Assignments, results.SelectMany(r => r.Assignments).ToArray());
        foreach (var result in results)
        {
            Compare.Bitwise(results[0].Centroids.Span, result.Centroids.Span, "rank agreement");
        }
    }

    [Fact]
    public void Generated_stream_through_moments_covariance_and_out_of_core_kmeans_in_bounded_memory()
    {
        long rows = Setting("DISTAL_SOAK_ROWS", 1_000_000);
        const int columns = 4, chunkRows = 1 << 16;
        var stream = new GeneratedStream(rows, columns, chunkRows);

        // The reference: compensated sums of the deviations from the generator's known means, in the same pass.
        var sums = new NeumaierSum[columns];
        var products = new NeumaierSum[columns * columns];
        var moments = new LowOrderMoments().CreateOnline();
        var covariance = new Covariance().CreateOnline();
        long streamBase = ResetPeakMemory();
        var clock = Stopwatch.StartNew();
        double cpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        foreach (var chunk in stream.Chunks())
        {
            moments.Add(chunk);
            covariance.Add(chunk);
            var span = chunk.Span;
            for (int i = 0; i < chunk.Rows; i++)
            {
                for (int a = 0; a < columns; a++)
                {
                    double da = span[(i * columns) + a] - GeneratedStream.Means[a];
                    sums[a].Add(da);
                    for (int b = 0; b <= a; b++)
                    {
                        products[(a * columns) + b].Add(da * (span[(i * columns) + b] - GeneratedStream.Means[b]));
                    }
                }
            }
        }

        var m = moments.Finalize();
        var c = covariance.Finalize();
        double streamSeconds = clock.Elapsed.TotalSeconds;
        long streamPeak = PeakResidentBytes();
        Assert.Equal(rows, m.Rows);
        for (int a = 0; a < columns; a++)
        {
            double mean = GeneratedStream.Means[a] + (sums[a].Value / rows);
            Assert.True(Math.Abs(m.Mean![a] - mean) <= 1e-12 * Math.Abs(mean) + 1e-15, $"mean {a}: {m.Mean[a]:R} vs {mean:R}");
            for (int b = 0; b <= a; b++)
            {
                double cross = products[(a * columns) + b].Value - (sums[a].Value * sums[b].Value / rows);
                double expected = cross / (rows - 1);
                Assert.True(Math.Abs(c.Covariance![a, b] - expected) <= 1e-10 * Math.Abs(expected), $"covariance ({a}, {b}): {c.Covariance[a, b]:R} vs {expected:R}");
            }
        }

        // Out-of-core Lloyd over the same stream: every pass regenerates the rows chunk by chunk.
        var initial = Table.FromArray(Enumerable.Range(0, 4 * columns).Select(i => GeneratedStream.Means[i % columns] + ((i / columns) - 1.5) * 0.5).ToArray(), 4, columns);
        long kmeansBase = ResetPeakMemory();
        var kmeansClock = Stopwatch.StartNew();
        var context = ComputeContext.For(new SelfCommunicator());
        var result = new LloydIterations(context, 4, 5, 0).Run(stream, initial.Span.ToArray(), columns);
        double kmeansSeconds = kmeansClock.Elapsed.TotalSeconds;
        long kmeansPeak = PeakResidentBytes();
        Assert.Equal(rows, result.Assignments.Length);
        Assert.True(double.IsFinite(result.ObjectiveFunction));
        if (rows <= 2_000_000)
        {
            var values = new double[rows * columns];
            stream.Fill(0, (int)rows, values);
            var whole = new Table<double>(values, (int)rows, columns);
            var batch = new Lloyd(4, 5).Compute(whole, initial);
            Compare.MatrixNorm(batch.Centroids.Span, result.Centroids.Span, 1e-12, "out-of-core stream vs in-memory k-means");
            Assert.Equal(batch.Assignments, result.Assignments);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{rows:N0} rows × {columns}: moments + covariance (+ reference sums) {streamSeconds:F1} s wall, peak RSS {streamPeak / 1048576.0:F0} MiB (from {streamBase / 1048576.0:F0}); "
            + $"k-means, 5 out-of-core Lloyd passes + objective pass, {kmeansSeconds:F1} s wall, {result.NIterations} iterations, peak RSS {kmeansPeak / 1048576.0:F0} MiB (from {kmeansBase / 1048576.0:F0}); "
            + $"CPU {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - cpu:F1} s; load {File.ReadAllText("/proc/loadavg").Trim()}"));

        // Bounded: moments and covariance hold a chunk and their partials, whatever the rows. Out-of-core k-means keeps
        // one int per row for the assignments, in an array grown by doubling and copied into the result at the end:
        // up to about 3 ints per row at the peak (measured: 1,494 MiB at 10^8 rows), its O(rows) part. Growth over the
        // resident size at the start is judged: in the full suite the process already holds other tests' memory.
        Assert.True(streamPeak - streamBase < 64L << 20, $"streaming peak RSS {streamPeak >> 20} MiB, from {streamBase >> 20} MiB");
        Assert.True(kmeansPeak - kmeansBase < (64L << 20) + (16 * rows), $"k-means peak RSS {kmeansPeak >> 20} MiB, from {kmeansBase >> 20} MiB");
    }

    [Fact]
    public void Repeated_embedded_sessions_leave_no_threads_or_memory_behind()
    {
        var data = Table.FromArray(Enumerable.Range(0, 400 * 3).Select(i => Math.Sin(i)).ToArray(), 400, 3);
        void Session(int ranks) => Spmd.RunLocal(ranks, s =>
        {
            var share = data.SliceRows(s.Rank * (400 / ranks), 400 / ranks);
            new Covariance { Distributed = true }.Compute(share);
            new Lloyd(3, 3) { Distributed = true }.Compute(share, data.SliceRows(0, 3));
        });

        int sessions = (int)Setting("DISTAL_SOAK_SESSIONS", 200);
        for (int i = 0; i < 20; i++)
        {
            Session(1 + (i % 8));
        }

        var (threadsBefore, managedBefore) = Settle();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < sessions; i++)
        {
            Session(1 + (i % 8));
        }

        var (threadsAfter, managedAfter) = Settle();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{sessions} sessions of 1–8 ranks in {clock.Elapsed.TotalSeconds:F1} s: threads {threadsBefore} → {threadsAfter}, managed heap {managedBefore / 1024} → {managedAfter / 1024} KiB, RSS {Environment.WorkingSet >> 20} MiB"));

        // A leak of one rank thread or one 8-rank world per session would show as hundreds of threads or megabytes.
        Assert.True(threadsAfter <= threadsBefore + 4, $"threads grew from {threadsBefore} to {threadsAfter} over {sessions} sessions");
        Assert.True(managedAfter - managedBefore < 2L << 20, $"managed heap grew by {(managedAfter - managedBefore) / 1024} KiB over {sessions} sessions");
    }

    private static (int Threads, long Managed) Settle()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Thread.Sleep(100);
        }

        using var process = Process.GetCurrentProcess();
        return (process.Threads.Count, GC.GetTotalMemory(forceFullCollection: true));
    }

    /// <summary>
    /// Resets the kernel's peak-RSS mark (VmHWM) of this process to the current resident size, which it returns:
    /// writing 5 to clear_refs (Linux ≥ 4.0).
    /// </summary>
    private static long ResetPeakMemory()
    {
        GC.Collect();
        if (File.Exists("/proc/self/clear_refs"))
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }

        return Status("VmRSS:");
    }

    private static long PeakResidentBytes() => Status("VmHWM:");

    private static long Status(string field)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return Environment.WorkingSet;
    }

    private static long Setting(string name, long fallback)
        => long.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out long value) ? value : fallback;

    /// <summary>Neumaier's compensated sum: the reference accumulates 10^8 terms without drifting.</summary>
    private struct NeumaierSum
    {
        private double _sum;
        private double _compensation;

        public readonly double Value => _sum + _compensation;

        public void Add(double x)
        {
            double t = _sum + x;
            _compensation += Math.Abs(_sum) >= Math.Abs(x) ? (_sum - t) + x : (x - t) + _sum;
            _sum = t;
        }
    }
}
