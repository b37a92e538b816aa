using System.Numerics;
using Distal.Communication;

namespace Distal.Data;

/// <summary>
/// Collective reading: every rank reads its input (CSV, or .npy by extension; see <see cref="DataFile"/>), then the
/// ranks agree on errors and on the column count. A rank parses its CSV with its share of the node's cores.
/// </summary>
internal static class DataInput
{
    /// <summary>Each rank reads its own file <paramref name="path"/>.</summary>
    public static Table<T> ReadPerRank<T>(Communicator communicator, string path)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => AgreeOnShape(communicator, communicator.Collectively(() => DataFile.ReadShare<T>(path, 0, 1, ThreadBudget.For(communicator))), [path]);

    /// <summary>
    /// Reads the inputs of a run: one file per rank (rank r reads <paramref name="paths"/>[r]), or one file split
    /// by rows across all ranks (a pipe or standard input is read by rank 0, which sends each rank its rows).
    /// </summary>
    public static Table<T> Read<T>(Communicator communicator, IReadOnlyList<string> paths)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Read<T>(communicator, paths, null, null);

    /// <summary>
    /// As <see cref="Read{T}(Communicator, IReadOnlyList{string})"/>, in <paramref name="format"/> (by extension when
    /// null) and only the named <paramref name="columns"/> (all when null).
    /// </summary>
    public static Table<T> Read<T>(Communicator communicator, IReadOnlyList<string> paths, TableFormat? format, IReadOnlyList<string>? columns, IProgress<long>? progress = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(paths);
        int rank = communicator.Rank;
        int size = communicator.Size;
        int threads = ThreadBudget.For(communicator);
        if (paths.Count == 1 && size > 1
            && SequentialInput.ReadOnRankZero<T>(communicator, paths[0], format, columns, progress) is { } rows)
        {
            return AgreeOnShape(communicator, rows, paths);
        }

        var table = communicator.Collectively(() =>
        {
            if (paths.Count == size)
            {
                return DataFile.ReadShare<T>(paths[rank], 0, 1, threads, format, columns, progress);
            }

            if (paths.Count == 1)
            {
                return DataFile.ReadShare<T>(paths[0], rank, size, threads, format, columns, progress);
            }

            throw new DistalException(FailureKind.Usage, $"{paths.Count} input files for {size} ranks: give one file per rank, or one file to split across the ranks");
        });
        return AgreeOnShape(communicator, table, paths);
    }

    /// <summary>
    /// Checks collectively that every rank that has rows has the same number of columns, gives ranks without rows
    /// that column count, and fails on every rank when no rank has any row.
    /// </summary>
    public static Table<T> AgreeOnShape<T>(Communicator communicator, Table<T> table, IReadOnlyList<string> paths)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int agreed = AgreeOnColumns(communicator, table.Rows, table.Columns, paths);
        return table.Rows > 0 ? table : Table<T>.Empty(agreed);
    }

    /// <summary>
    /// The checks of <see cref="AgreeOnShape{T}"/> on this rank's row and column counts alone (rows streamed in
    /// chunks): collective; returns the column count of the ranks that have rows.
    /// </summary>
    public static int AgreeOnColumns(Communicator communicator, long rows, int tableColumns, IReadOnlyList<string> paths)
    {
        int[] columns = communicator.Allgather(rows > 0 ? tableColumns : 0);
        int reference = -1;
        for (int r = 0; r < columns.Length; r++)
        {
            if (columns[r] == 0)
            {
                continue;
            }

            if (reference < 0)
            {
                reference = r;
            }
            else if (columns[r] != columns[reference])
            {
                string where = paths.Count == columns.Length ? paths[r] : paths[0];
                throw new DistalException(FailureKind.Input, r, $"{where}: rows have {columns[r]} columns; rank {reference}'s have {columns[reference]}");
            }
        }

        if (reference < 0)
        {
            string names = string.Join(", ", paths.Distinct());
            throw new DistalException(FailureKind.Input, $"{names}: no rows on any rank");
        }

        return columns[reference];
    }
}
