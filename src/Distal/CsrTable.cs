using System.Numerics;
using Distal.Algorithms;

namespace Distal;

/// <summary>How the row offsets and column indices of a <see cref="CsrTable{T}"/> count.</summary>
public enum CsrIndexing
{
    /// <summary>The first row offset is 0 and the first column is 0 (scipy.sparse, MKL's zero-based CSR).</summary>
    ZeroBased = 0,

    /// <summary>The first row offset is 1 and the first column is 1 (daal4py's CSR files and oneDAL's CSR tables).</summary>
    OneBased = 1,
}

/// <summary>
/// A sparse table in compressed sparse row (CSR) form: row i's non-zero values are
/// <c>Values[RowOffsets[i] − b .. RowOffsets[i + 1] − b]</c>, in the columns <c>ColumnIndices[...] − b</c>, where b is 0
/// or 1 (<see cref="Indexing"/>). A table is a view: it never copies the arrays it is built over, and
/// <see cref="SliceRows"/> shares them too. Columns that never appear hold zeros.
/// </summary>
/// <typeparam name="T"><see cref="double"/> or <see cref="float"/>.</typeparam>
public sealed class CsrTable<T> : IRowTable<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>
    /// Views CSR arrays as a table; no copy. The arrays are checked once (O(rows + non-zeros)): offsets start at the
    /// base and never decrease, there are as many column indices as values, and every index lies in
    /// [base, columns + base).
    /// </summary>
    /// <param name="rowOffsets">Rows + 1 offsets; the first is 0 (or 1 when one-based).</param>
    /// <param name="columnIndices">The column of each value.</param>
    /// <param name="values">The non-zero values, row after row.</param>
    /// <param name="columns">The table's width; null takes one more than the largest column index (then
    /// <see cref="ColumnsIsLowerBound"/> is true, since rows seen elsewhere may be wider).</param>
    /// <param name="indexing">Zero- or one-based offsets and indices.</param>
    /// <exception cref="ArgumentException">The arrays do not form a CSR table.</exception>
    public CsrTable(ReadOnlyMemory<int> rowOffsets, ReadOnlyMemory<int> columnIndices, ReadOnlyMemory<T> values, int? columns = null, CsrIndexing indexing = CsrIndexing.ZeroBased)
    {
        int b = (int)indexing;
        var offsets = rowOffsets.Span;
        if (offsets.Length == 0)
        {
            throw new ArgumentException("CSR row offsets need at least one value (rows + 1).", nameof(rowOffsets));
        }

        if (offsets[0] != b)
        {
            throw new ArgumentException($"the first row offset is {offsets[0]}; a {Describe(indexing)} CSR table starts at {b}.", nameof(rowOffsets));
        }

        for (int i = 1; i < offsets.Length; i++)
        {
            if (offsets[i] < offsets[i - 1])
            {
                throw new ArgumentException($"row offsets decrease at row {i - 1}: {offsets[i - 1]} then {offsets[i]}.", nameof(rowOffsets));
            }
        }

        int nonZeros = offsets[^1] - b;
        if (columnIndices.Length != values.Length || values.Length != nonZeros)
        {
            throw new ArgumentException($"{columnIndices.Length} column indices and {values.Length} values; the row offsets say {nonZeros}.", nameof(values));
        }

        if (columns is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(columns), columns, "columns must not be negative.");
        }

        int largest = -1;
        foreach (int index in columnIndices.Span)
        {
            int column = index - b;
            if (column < 0 || (columns is { } width && column >= width))
            {
                throw new ArgumentException($"column index {index} is outside [{b}, {(columns is { } w ? (w + b - 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : "∞")}].", nameof(columnIndices));
            }

            largest = Math.Max(largest, column);
        }

        RowOffsets = rowOffsets;
        ColumnIndices = columnIndices;
        Values = values;
        Indexing = indexing;
        Rows = offsets.Length - 1;
        Columns = columns ?? (largest + 1);
        ColumnsIsLowerBound = columns is null;
    }

    private CsrTable(ReadOnlyMemory<int> rowOffsets, ReadOnlyMemory<int> columnIndices, ReadOnlyMemory<T> values, int columns, bool columnsIsLowerBound, CsrIndexing indexing)
    {
        RowOffsets = rowOffsets;
        ColumnIndices = columnIndices;
        Values = values;
        Indexing = indexing;
        Rows = rowOffsets.Length - 1;
        Columns = columns;
        ColumnsIsLowerBound = columnsIsLowerBound;
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns (known, or inferred from the largest column index: see <see cref="ColumnsIsLowerBound"/>).</summary>
    public int Columns { get; }

    /// <summary>
    /// True when <see cref="Columns"/> was inferred from the largest column index rather than given: the table is at
    /// least that wide. Distributed computations then agree on the largest width over all ranks.
    /// </summary>
    public bool ColumnsIsLowerBound { get; }

    /// <summary>Whether offsets and indices count from 0 or from 1.</summary>
    public CsrIndexing Indexing { get; }

    /// <summary>The <see cref="Rows"/> + 1 row offsets (after <see cref="SliceRows"/>, they need not start at the base).</summary>
    public ReadOnlyMemory<int> RowOffsets { get; }

    /// <summary>The column index of every value of the underlying arrays.</summary>
    public ReadOnlyMemory<int> ColumnIndices { get; }

    /// <summary>The non-zero values of the underlying arrays.</summary>
    public ReadOnlyMemory<T> Values { get; }

    /// <summary>Number of stored values in this table's rows.</summary>
    public int NonZeros
    {
        get
        {
            var offsets = RowOffsets.Span;
            return offsets[^1] - offsets[0];
        }
    }

    /// <summary>A view of <paramref name="count"/> rows starting at <paramref name="start"/>; no copy.</summary>
    public CsrTable<T> SliceRows(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, Rows);
        return new CsrTable<T>(RowOffsets.Slice(start, count + 1), ColumnIndices, Values, Columns, ColumnsIsLowerBound, Indexing);
    }

    IRowTable<T> IRowTable<T>.SliceRows(int start, int count) => SliceRows(start, count);

    /// <summary>The same rows with <paramref name="columns"/> columns (at least <see cref="Columns"/>); no copy.</summary>
    public CsrTable<T> WithColumns(int columns)
    {
        if (columns < Columns)
        {
            throw new ArgumentOutOfRangeException(nameof(columns), columns, $"the rows use {Columns} columns.");
        }

        return new CsrTable<T>(RowOffsets, ColumnIndices, Values, columns, columnsIsLowerBound: false, Indexing);
    }

    /// <summary>A dense copy of the rows.</summary>
    public Table<T> ToDense()
    {
        var dense = Table<T>.Create(Rows, Columns);
        var target = dense.Span;
        var offsets = RowOffsets.Span;
        var indices = ColumnIndices.Span;
        var values = Values.Span;
        int b = (int)Indexing;
        for (int i = 0; i < Rows; i++)
        {
            long row = (long)i * Columns;
            for (int k = offsets[i] - b; k < offsets[i + 1] - b; k++)
            {
                target[(int)(row + indices[k] - b)] = values[k];
            }
        }

        return dense;
    }

    /// <summary>Row <paramref name="row"/>'s first and one-past-last position in <see cref="Values"/>.</summary>
    internal (int Start, int End) RowRange(int row)
    {
        var offsets = RowOffsets.Span;
        int b = (int)Indexing;
        return (offsets[row] - b, offsets[row + 1] - b);
    }

    private static string Describe(CsrIndexing indexing) => indexing == CsrIndexing.OneBased ? "one-based" : "zero-based";
}

/// <summary>Creates CSR tables.</summary>
public static class CsrTable
{
    /// <summary>The non-zero entries of <paramref name="dense"/> as a new zero-based CSR table of the same width.</summary>
    public static CsrTable<T> FromDense<T>(Table<T> dense)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(dense);
        var offsets = new int[dense.Rows + 1];
        int nonZeros = 0;
        foreach (T value in dense.Span)
        {
            nonZeros += T.IsZero(value) ? 0 : 1;
        }

        var indices = new int[nonZeros];
        var values = new T[nonZeros];
        int k = 0;
        for (int i = 0; i < dense.Rows; i++)
        {
            var row = dense.Row(i);
            for (int j = 0; j < row.Length; j++)
            {
                if (!T.IsZero(row[j]))
                {
                    indices[k] = j;
                    values[k++] = row[j];
                }
            }

            offsets[i + 1] = k;
        }

        return new CsrTable<T>(offsets, indices, values, dense.Columns);
    }
}
