using System.Numerics;
using System.Runtime.InteropServices;
using Distal.Communication;

namespace Distal.Algorithms;

/// <summary>
/// This rank's rows seen as a slice [<see cref="Offset"/>, <see cref="Offset"/> + <see cref="LocalRows"/>) of the
/// global row order (rank 0's rows first, then rank 1's, ...), so that random draws and "the first k rows" are defined
/// over global row indices and do not depend on how the rows are split.
/// </summary>
internal sealed class GlobalRows<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private GlobalRows(Communicator communicator, Table<T> local, int columns, long offset, long total)
    {
        Communicator = communicator;
        Local = local;
        Columns = columns;
        Offset = offset;
        Total = total;
    }

    public Communicator Communicator { get; }

    public Table<T> Local { get; }

    public int Columns { get; }

    public int LocalRows => Local.Rows;

    /// <summary>Global index of this rank's first row.</summary>
    public long Offset { get; }

    /// <summary>Rows over all ranks.</summary>
    public long Total { get; }

    /// <summary>
    /// Collective: agrees on the column count (ranks without rows adopt it) and places this rank's rows in the global
    /// order.
    /// </summary>
    public static GlobalRows<T> Create(Communicator communicator, Table<T> local)
    {
        int columns = AgreeOnColumns(communicator, local.Rows, local.Columns);
        long offset = communicator.ExclusiveScan((long)local.Rows);
        long total = communicator.Allreduce((long)local.Rows, ReduceOperation.Sum);
        var table = local.Rows > 0 ? local : Table<T>.Empty(columns);
        return new GlobalRows<T>(communicator, table, columns, offset, total);
    }

    /// <summary>The column count of the ranks that have rows; they must agree. Zero when no rank has rows.</summary>
    public static int AgreeOnColumns(Communicator communicator, int rows, int columns)
    {
        int[] all = communicator.Allgather(rows > 0 ? columns : -1);
        int reference = -1;
        for (int r = 0; r < all.Length; r++)
        {
            if (all[r] < 0)
            {
                continue;
            }

            if (reference < 0)
            {
                reference = r;
            }
            else if (all[r] != all[reference])
            {
                throw new DistalException(FailureKind.Input, r, $"rows have {all[r]} columns; rank {reference}'s have {all[reference]}");
            }
        }

        return reference < 0 ? Math.Max(0, columns) : all[reference];
    }

    /// <summary>Row <paramref name="row"/> of this rank as doubles (exact for float input).</summary>
    public void CopyRow(int row, Span<double> destination) => RowValues.Copy(Local.Row(row), destination);

    /// <summary>
    /// Collective: the rows with the given global indices (the same list on every rank), in list order, as a
    /// count × Columns row-major array, identical on every rank.
    /// </summary>
    public double[] FetchRows(ReadOnlySpan<long> globalIndices)
    {
        int p = Columns;
        int record = p + 1;
        var mine = new List<double>();
        var row = new double[p];
        for (int i = 0; i < globalIndices.Length; i++)
        {
            long local = globalIndices[i] - Offset;
            if (local >= 0 && local < LocalRows)
            {
                CopyRow((int)local, row);
                mine.Add(i);
                mine.AddRange(row);
            }
        }

        double[] records = Communicator.AllgatherV<double>(CollectionsMarshal.AsSpan(mine), out _);
        var result = new double[globalIndices.Length * p];
        var filled = new bool[globalIndices.Length];
        for (int at = 0; at < records.Length; at += record)
        {
            int position = (int)records[at];
            records.AsSpan(at + 1, p).CopyTo(result.AsSpan(position * p, p));
            filled[position] = true;
        }

        if (Array.IndexOf(filled, false) is int missing and >= 0)
        {
            throw new DistalException(FailureKind.Internal, $"global row {globalIndices[missing]} is on no rank");
        }

        return result;
    }
}

/// <summary>Row conversion and the per-row distance every initialisation uses.</summary>
internal static class RowValues
{
    public static void Copy<T>(ReadOnlySpan<T> source, Span<double> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            MemoryMarshal.Cast<T, double>(source).CopyTo(destination);
            return;
        }

        for (int j = 0; j < source.Length; j++)
        {
            destination[j] = double.CreateTruncating(source[j]);
        }
    }

    /// <summary>
    /// The rows as doubles: the same memory for double input, else converted into <paramref name="scratch"/>
    /// (which must hold them).
    /// </summary>
    public static ReadOnlySpan<double> AsDouble<T>(ReadOnlySpan<T> rows, Span<double> scratch)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            return MemoryMarshal.Cast<T, double>(rows);
        }

        Copy(rows, scratch[..rows.Length]);
        return scratch[..rows.Length];
    }
}
