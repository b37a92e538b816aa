using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;
using Distal.Algorithms;
using Distal.Kernels;

namespace Distal.Benchmarks;

/// <summary>
/// `lloyd [--rows N] [--repeats R]` mode: where one Lloyd pass's time goes (k = 10, p = 20, uniform rows as
/// bench/side_by_side.py's row, first k rows as centroids), on the calling thread only, in process: the bare read of
/// X; the double nearest-centroid kernel and the float32 screen, each on one 64-row block kept in L1 (compute alone)
/// and over all of X (compute and the memory stream); packing the float copy once and screening it; the full pass's
/// bookkeeping (distances, objective, sums, farthest rows) in L1 and over X. Then whole passes, timed alternately
/// round after round: full passes (what Lloyd does on streamed rows) with the double kernel, the screen packing as
/// it goes and the screen on the copy, and an incremental pass (what Lloyd does on rows in memory once its
/// aggregates are built) in which no row changes cluster. Prints the minimum and median of R runs, GFLOP/s of the
/// distance work (2·n·k·p) and the read's GB/s.
/// </summary>
internal static class LloydParts
{
    private const int Columns = 20;
    private const int Clusters = 10;
    private const int BlockRows = 64;

    public static int Run(string[] args)
    {
        int n = Option(args, "--rows", 1_000_000);
        int repeats = Option(args, "--repeats", 9);
        var random = new Random(42);
        var rows = new double[(long)n * Columns];
        for (long i = 0; i < rows.Length; i++)
        {
            rows[i] = (random.NextDouble() * 2) - 1;
        }

        var set = new AssignmentCentroids(rows.AsSpan(0, Clusters * Columns).ToArray(), Clusters, Columns);
        var exactSet = new AssignmentCentroids(rows.AsSpan(0, Clusters * Columns).ToArray(), Clusters, Columns, allowScreen: false);
        var lanes = set.Tiles ?? throw new InvalidOperationException("k = 10 should take the lanes kernel");
        var screen = set.Screen;
        var screenScratch = new float[NearestCentroidScreen.BlockLength(Columns)];
        var fallbackScratch = new double[NearestCentroidScreen.FallbackScratchLength(Columns)];
        var assignments = new int[n];
        var nearest = new int[BlockRows];
        var scratch = new double[NearestCentroidLanes.ScratchLength(Columns)];
        double flops = 2.0 * n * Clusters * Columns;
        double bytes = rows.Length * 8.0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# lloyd parts, {n} x {Columns}, k = {Clusters}, one thread, SIMD {SimdWidths.Label(SimdWidths.Default)}, min / median of {repeats}"));
        Time("read X (4 vector sums)", repeats, () => ReadAll(rows), $"{{0:F1}} GB/s", bytes);
        Time("kernel, one 64-row block in L1", repeats, () =>
        {
            for (int start = 0; start + BlockRows <= n; start += BlockRows)
            {
                lanes.NearestOfRows(rows.AsSpan(0, BlockRows * Columns), nearest, scratch);
            }
        }, "{0:F1} GFLOP/s", flops);
        Time("kernel over X (64-row blocks)", repeats, () =>
        {
            for (int start = 0; start < n; start += BlockRows)
            {
                int b = Math.Min(BlockRows, n - start);
                lanes.NearestOfRows(rows.AsSpan(start * Columns, b * Columns), nearest.AsSpan(0, b), scratch);
            }
        }, "{0:F1} GFLOP/s", flops);
        if (screen is not null)
        {
            long fallbacks = 0;
            for (int start = 0; start < n; start += BlockRows)
            {
                int b = Math.Min(BlockRows, n - start);
                fallbacks += screen.NearestOfRows(rows.AsSpan(start * Columns, b * Columns), nearest.AsSpan(0, b), screenScratch, fallbackScratch);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# float32 screen: {fallbacks} of {n} rows decided by the double kernel"));
            Time("screen, one 64-row block in L1", repeats, () =>
            {
                for (int start = 0; start + BlockRows <= n; start += BlockRows)
                {
                    screen.NearestOfRows(rows.AsSpan(0, BlockRows * Columns), nearest, screenScratch, fallbackScratch);
                }
            }, "{0:F1} GFLOP/s", flops);
            Time("screen over X (64-row blocks)", repeats, () =>
            {
                for (int start = 0; start < n; start += BlockRows)
                {
                    int b = Math.Min(BlockRows, n - start);
                    screen.NearestOfRows(rows.AsSpan(start * Columns, b * Columns), nearest.AsSpan(0, b), screenScratch, fallbackScratch);
                }
            }, "{0:F1} GFLOP/s", flops);

            var packed = new float[NearestCentroidScreen.PackedLength(n, Columns)];
            Time("pack X once (float copy)", repeats, () => NearestCentroidScreen.Pack(rows, Columns, packed), "{0:F1} GB/s", bytes);
            Time("screen over the packed copy", repeats, () =>
            {
                int blockLength = NearestCentroidScreen.BlockLength(Columns);
                for (int start = 0; start < n; start += BlockRows)
                {
                    int b = Math.Min(BlockRows, n - start);
                    screen.NearestOfPacked(packed.AsSpan(start / 8 * blockLength), rows.AsSpan(start * Columns, b * Columns), nearest.AsSpan(0, b), fallbackScratch);
                }
            }, "{0:F1} GFLOP/s", flops);
        }

        var copy = PackedRows.TryCreate(new TableChunks<double>(Table.FromArray(rows, n, Columns)), Clusters, Columns, 1);
        {
            var worker = new AssignmentWorker(Clusters, Columns, true, EmptyClusterReseeding.Candidates(Clusters));
            var blockAssignments = new int[BlockRows];
            lanes.NearestOfRows(rows.AsSpan(0, BlockRows * Columns), nearest, scratch);
            double objective = 0;
            long changed = 0;
            // The same block again and again has the same distances, each tying the farthest rows' threshold: in L1 the
            // worker keeps no farthest rows, or the stage would time their offers.
            var inL1 = new AssignmentWorker(Clusters, Columns, true, 0);
            Time("bookkeeping, 64 rows in L1, no farthest", repeats, () =>
            {
                for (int start = 0; start + BlockRows <= n; start += BlockRows)
                {
                    inL1.Record(rows.AsSpan(0, BlockRows * Columns), nearest, blockAssignments, start, set.Values, ref objective, ref changed);
                }
            }, "{0:F1} GFLOP/s", flops);
            Time("bookkeeping over X", repeats, () =>
            {
                for (int start = 0; start + BlockRows <= n; start += BlockRows)
                {
                    worker.Record(rows.AsSpan(start * Columns, BlockRows * Columns), nearest, blockAssignments, start, set.Values, ref objective, ref changed);
                }
            }, "{0:F1} GFLOP/s", flops);
        }

        var aggregates = new ClusterAggregates(Clusters, Columns);
        new AssignmentWorker(Clusters, Columns, true, 0).Process<double>(rows, assignments, 0, set, DenseKernels.Current, copy, 0, aggregates);
        Alternate(repeats, flops,
            ("pass, double kernel", () => new AssignmentWorker(Clusters, Columns, true, EmptyClusterReseeding.Candidates(Clusters)).Process<double>(rows, assignments, 0, exactSet, DenseKernels.Current)),
            ("pass, screen packing as it goes", () => new AssignmentWorker(Clusters, Columns, true, EmptyClusterReseeding.Candidates(Clusters)).Process<double>(rows, assignments, 0, set, DenseKernels.Current)),
            ("pass, screen from the packed copy", () => new AssignmentWorker(Clusters, Columns, true, EmptyClusterReseeding.Candidates(Clusters)).Process<double>(rows, assignments, 0, set, DenseKernels.Current, copy, 0)),
            ("pass, incremental, no row moving", () => new AssignmentWorker(Clusters, Columns, true, 0).Process<double>(rows, assignments, 0, set, DenseKernels.Current, copy, 0, aggregates)));

        // Centroids moved by 0.02 per coordinate, one way and back: each pass moves the rows near the boundaries, about
        // as many as a Lloyd iteration on this data moves from its eighth on.
        var moved = set.Values.ToArray();
        for (int i = 0; i < moved.Length; i++)
        {
            moved[i] += random.NextDouble() < 0.5 ? 0.02 : -0.02;
        }

        var movedSet = new AssignmentCentroids(moved, Clusters, Columns);
        bool flip = false;
        long movedRows = 0;
        Time("pass, incremental, rows moving", repeats, () =>
        {
            flip = !flip;
            var worker = new AssignmentWorker(Clusters, Columns, true, 0);
            worker.Process<double>(rows, assignments, 0, flip ? movedSet : set, DenseKernels.Current, copy, 0, aggregates);
            movedRows = worker.Partial.Changed;
        }, "{0:F1} GFLOP/s", flops);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# rows moving per pass: {movedRows}"));
        return 0;
    }

    /// <summary>Times several runs alternately, round after round, so drifts of the machine hit every one alike.</summary>
    private static void Alternate(int repeats, double flops, params (string Name, Action Run)[] runs)
    {
        var seconds = new double[runs.Length][];
        for (int v = 0; v < runs.Length; v++)
        {
            runs[v].Run();
            seconds[v] = new double[repeats];
        }

        for (int i = 0; i < repeats; i++)
        {
            for (int v = 0; v < runs.Length; v++)
            {
                long start = Stopwatch.GetTimestamp();
                runs[v].Run();
                seconds[v][i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            }
        }

        for (int v = 0; v < runs.Length; v++)
        {
            Array.Sort(seconds[v]);
            double median = seconds[v][repeats / 2];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{runs[v].Name,-34} min {seconds[v][0] * 1e3,7:F2} ms  median {median * 1e3,7:F2} ms  {flops / median / 1e9:F1} GFLOP/s (alternated)"));
        }
    }

    private static void Time(string name, int repeats, Action run, string rateFormat, double work)
    {
        run();
        var seconds = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            long start = Stopwatch.GetTimestamp();
            run();
            seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        Array.Sort(seconds);
        double median = seconds[repeats / 2];
        string rate = string.Format(CultureInfo.InvariantCulture, rateFormat, work / median / 1e9);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-34} min {seconds[0] * 1e3,7:F2} ms  median {median * 1e3,7:F2} ms  {rate}"));
    }

    private static double ReadAll(double[] rows)
    {
        // Four independent sums, so the adds' latency does not bound the stream.
        Vector256<double> a = default, b = default, c = default, d = default;
        int i = 0;
        for (; i + 16 <= rows.Length; i += 16)
        {
            a += Vector256.LoadUnsafe(ref rows[i]);
            b += Vector256.LoadUnsafe(ref rows[i + 4]);
            c += Vector256.LoadUnsafe(ref rows[i + 8]);
            d += Vector256.LoadUnsafe(ref rows[i + 12]);
        }

        return Vector256.Sum((a + b) + (c + d));
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
