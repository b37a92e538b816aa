namespace Distal.Algorithms;

/// <summary>
/// Splits rows into contiguous ranges for the worker threads; the ranges and their order depend only on the counts,
/// never on scheduling. With several threads there are up to <see cref="RangesPerThread"/> ranges per thread, taken by
/// whichever thread is free: on a machine whose second vCPU comes and goes, a thread that is held up then leaves the
/// others idle for one small range, not for its whole share.
/// </summary>
internal static class RowRanges
{
    /// <summary>Below this many values per range a pass is too short for threading to pay.</summary>
    private const long MinValuesPerRange = 1 << 15;

    /// <summary>Ranges per thread when the rows are many enough.</summary>
    private const int RangesPerThread = 4;

    /// <summary>The most ranges <see cref="Count"/> gives for <paramref name="threads"/> threads.</summary>
    public static int MostFor(int threads) => threads <= 1 ? 1 : threads * RangesPerThread;

    /// <summary>How many contiguous ranges to split <paramref name="rows"/> rows of <paramref name="columns"/> values into.</summary>
    public static int Count(long rows, int columns, int threads)
        => (int)Math.Clamp(rows * Math.Max(1, columns) / MinValuesPerRange, 1, MostFor(threads));

    public static (int Start, int End) Range(int rows, int ranges, int index)
        => ((int)((long)rows * index / ranges), (int)((long)rows * (index + 1) / ranges));

    /// <summary>
    /// Runs <paramref name="body"/>(range index, start, end) over <paramref name="ranges"/> ranges on up to
    /// <paramref name="threads"/> threads.
    /// </summary>
    public static void Run(int rows, int ranges, int threads, Action<int, int, int> body)
    {
        if (ranges <= 1 || threads <= 1)
        {
            for (int r = 0; r < ranges; r++)
            {
                var (start, end) = Range(rows, ranges, r);
                body(r, start, end);
            }

            return;
        }

        Parallel.For(0, ranges, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(ranges, threads) }, r =>
        {
            var (start, end) = Range(rows, ranges, r);
            body(r, start, end);
        });
    }
}
