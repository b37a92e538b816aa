using System.Numerics;
using Distal.Kernels;

namespace Distal.Algorithms;

/// <summary>
/// The float32 copy of a table held in memory that the nearest-centroid screen reads on every Lloyd pass
/// (<see cref="NearestCentroidScreen.Pack"/>: blocks of eight rows as columns, with their norms), made once per run.
/// Packing on every pass cost as much as the screen's arithmetic (1e6 × 20, k = 10, one thread, `Distal.Benchmarks
/// lloyd`: screening while packing 14–20 ms a pass, from the copy 6.2–9.4 ms; the copy takes 10–13 ms once).
/// </summary>
internal sealed class PackedRows
{
    private readonly float[] _blocks;
    private readonly int _blockLength;

    private PackedRows(object source, float[] blocks, int columns)
    {
        Source = source;
        _blocks = blocks;
        _blockLength = NearestCentroidScreen.BlockLength(columns);
    }

    /// <summary>The chunk this copy is of.</summary>
    public object Source { get; }

    /// <summary>
    /// The copy of <paramref name="rows"/> when they are one table in memory, the screen serves k and p here, and the
    /// copy (half the table's doubles) fits within a quarter of the memory available to the process; else null (the
    /// screen then packs as it goes).
    /// </summary>
    public static PackedRows? TryCreate<T>(IRowChunks<T> rows, int clusters, int columns, int threads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (rows is not TableChunks<T> { Table: var table } || table.Rows < 1 || table.Columns != columns || !NearestCentroidScreen.Applies(clusters, columns))
        {
            return null;
        }

        long length = NearestCentroidScreen.PackedLength(table.Rows, columns);
        if (length > Array.MaxLength || length * sizeof(float) > GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4)
        {
            return null;
        }

        // Every float is written below (the last block repeats its last row).
        var blocks = GC.AllocateUninitializedArray<float>((int)length);

        int blockCount = (table.Rows + 7) / 8;
        int ranges = RowRanges.Count(table.Rows, columns, threads);
        RowRanges.Run(blockCount, ranges, threads, (_, first, end) =>
        {
            int firstRow = first * 8;
            int rowCount = Math.Min(end * 8, table.Rows) - firstRow;
            var scratch = typeof(T) == typeof(double) ? [] : new double[8 * columns];
            var target = blocks.AsSpan(first * NearestCentroidScreen.BlockLength(columns));
            for (int r = 0; r < rowCount; r += 8)
            {
                int count = Math.Min(8, rowCount - r);
                ReadOnlySpan<double> values = RowValues.AsDouble(table.Span.Slice((firstRow + r) * columns, count * columns), scratch);
                NearestCentroidScreen.Pack(values, columns, target[(r / 8 * NearestCentroidScreen.BlockLength(columns))..]);
            }
        });

        return new PackedRows(table, blocks, columns);
    }

    /// <summary>The blocks from row <paramref name="firstRow"/> (a multiple of 8) on.</summary>
    public ReadOnlySpan<float> From(int firstRow) => _blocks.AsSpan(firstRow / 8 * _blockLength);
}
