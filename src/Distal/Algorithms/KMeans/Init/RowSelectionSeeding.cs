using System.Numerics;

namespace Distal.Algorithms;

/// <summary>deterministicDense and randomDense: centroids that are rows picked by global index.</summary>
internal static class RowSelectionSeeding
{
    /// <summary>Collective: the first <paramref name="k"/> rows in global row order.</summary>
    public static double[] FirstRows<T>(GlobalRows<T> rows, int k)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var indices = new long[k];
        for (int i = 0; i < k; i++)
        {
            indices[i] = i;
        }

        return rows.FetchRows(indices);
    }

    /// <summary>
    /// Collective: <paramref name="k"/> distinct rows drawn uniformly, in draw order — a sparse Fisher–Yates shuffle of the
    /// global indices [0, N) whose i-th swap partner is draw i of the stream; it depends only on (seed, N, k).
    /// </summary>
    public static double[] DistinctRandomRows<T>(GlobalRows<T> rows, int k, CounterBasedRandom random)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        long n = rows.Total;
        var displaced = new Dictionary<long, long>();
        var indices = new long[k];
        for (int i = 0; i < k; i++)
        {
            long j = i + (long)random.Below((ulong)(n - i), RandomPurpose.DistinctRows, 0, (ulong)i);
            long atJ = displaced.GetValueOrDefault(j, j);
            long atI = displaced.GetValueOrDefault(i, i);
            displaced[j] = atI;
            indices[i] = atJ;
        }

        return rows.FetchRows(indices);
    }
}
