using Distal.Communication;

namespace Distal.Algorithms;

/// <summary>
/// Gives every empty cluster a row of its own instead of a NaN centroid: empty clusters, in index order, take the rows
/// farthest from their assigned centroid (farther first, ties to the lower global row), each leaving its old cluster
/// (whose sum and count lose it) — scikit-learn's rule, made deterministic across ranks. A row is taken only from a
/// cluster that keeps at least one row, so no cluster is emptied in turn.
/// </summary>
internal static class EmptyClusterReseeding
{
    /// <summary>Rows each rank must offer: with e &lt; k empty clusters at most k candidates are passed over, so 2k suffice.</summary>
    public static int Candidates(int clusters) => 2 * clusters;

    /// <summary>
    /// Collective. Updates <paramref name="merged"/> (the same on every rank) and this rank's
    /// <paramref name="assignments"/> of the moved rows. Returns whether any cluster was empty.
    /// </summary>
    public static bool Apply(Communicator communicator, LloydPartial merged, FarthestRows local, Span<int> assignments, int columns)
    {
        int k = merged.Clusters;
        var empty = new List<int>();
        for (int j = 0; j < k; j++)
        {
            if (merged.Counts[j] == 0)
            {
                empty.Add(j);
            }
        }

        if (empty.Count == 0)
        {
            return false;
        }

        int record = columns + 3;
        double[] all = communicator.AllgatherV<double>(local.ToRecords(), out _);
        int candidates = all.Length / record;
        var order = new int[candidates];
        for (int i = 0; i < candidates; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) =>
        {
            double da = all[a * record], db = all[b * record];
            long ra = (long)all[(a * record) + 1], rb = (long)all[(b * record) + 1];
            return FarthestRows.Precedes(da, ra, db, rb) ? -1 : FarthestRows.Precedes(db, rb, da, ra) ? 1 : 0;
        });

        int next = 0;
        foreach (int target in empty)
        {
            while (next < candidates && merged.Counts[(int)all[(order[next] * record) + 2]] < 2)
            {
                next++;
            }

            if (next == candidates)
            {
                throw new DistalException(FailureKind.Internal, "no row left to re-seed an empty cluster");
            }

            int at = order[next++] * record;
            long key = (long)all[at + 1];
            int old = (int)all[at + 2];
            ReadOnlySpan<double> row = all.AsSpan(at + 3, columns);
            Span<double> oldSum = merged.Sums.AsSpan(old * columns, columns);
            for (int c = 0; c < columns; c++)
            {
                oldSum[c] -= row[c];
            }

            merged.Counts[old]--;
            row.CopyTo(merged.Sums.AsSpan(target * columns, columns));
            merged.Counts[target] = 1;
            if (RowKey.Rank(key) == communicator.Rank)
            {
                assignments[(int)RowKey.LocalRow(key)] = target;
            }
        }

        return true;
    }
}

/// <summary>
/// Orders rows globally without knowing other ranks' row counts: key = rank·2⁴⁰ + local row. Keys compare like global
/// row indices (rank 0's rows first), and stay exact in a double record.
/// </summary>
internal static class RowKey
{
    private const int Shift = 40;

    public static long Of(int rank, long localRow) => ((long)rank << Shift) + localRow;

    public static int Rank(long key) => (int)(key >> Shift);

    public static long LocalRow(long key) => key & ((1L << Shift) - 1);
}
