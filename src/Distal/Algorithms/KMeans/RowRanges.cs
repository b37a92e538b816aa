namespace Distal.Algorithms;

/// <summary>Splits rows into contiguous ranges, one per worker thread; ranges and their order depend only on the counts.</summary>
internal static class RowRanges
{
    /// <summary>Below this many values per thread a pass is too short for threading to pay.</summary>
    private const long MinValuesPerThread = 1 << 15;

    /// <summary>How many contiguous ranges to split <paramref name="rows"/> rows of <paramref name="columns"/> values into.</summary>
    public static int Count(long rows, int columns, int threads)
        => (int)Math.Clamp(rows * Math.Max(1, columns) / MinValuesPerThread, 1, Math.Max(1, threads));

    public static (int Start, int End) Range(int rows, int ranges, int index)
        => ((int)((long)rows * index / ranges), (int)((long)rows * (index + 1) / ranges));

    /// <summary>Runs <paramref name="body"/>(range index, start, end) over <paramref name="ranges"/> ranges, in parallel when more than one.</summary>
    public static void Run(int rows, int ranges, Action<int, int, int> body)
    {
        if (ranges <= 1)
        {
            body(0, 0, rows);
            return;
        }

        Parallel.For(0, ranges, new ParallelOptions { MaxDegreeOfParallelism = ranges }, r =>
        {
            var (start, end) = Range(rows, ranges, r);
            body(r, start, end);
        });
    }
}
