using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Distal;

/// <summary>
/// A dense row-major table of <see cref="double"/> or <see cref="float"/> values: <see cref="Rows"/> rows of
/// <see cref="Columns"/> values each. A table is a view: it never copies the memory it is built over.
/// </summary>
/// <typeparam name="T"><see cref="double"/> or <see cref="float"/>.</typeparam>
public sealed class Table<T> : Algorithms.IRowTable<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Memory<T> _memory;

    /// <summary>Views <paramref name="memory"/> as <paramref name="rows"/> × <paramref name="columns"/> row-major values.</summary>
    /// <exception cref="ArgumentException">The memory holds fewer than rows × columns values.</exception>
    public Table(Memory<T> memory, int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        long needed = (long)rows * columns;
        if (needed > memory.Length)
        {
            throw new ArgumentException($"{rows}×{columns} table needs {needed} values; the memory holds {memory.Length}.", nameof(memory));
        }

        _memory = memory[..(int)needed];
        Rows = rows;
        Columns = columns;
    }

    /// <summary>Views a row-major array as a table with <paramref name="columns"/> columns.</summary>
    public Table(T[] values, int columns)
        : this(values, columns == 0 ? 0 : RowsOf(values.Length, columns), columns)
    {
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns (features).</summary>
    public int Columns { get; }

    /// <summary>The values, row after row.</summary>
    public Memory<T> Memory => _memory;

    /// <summary>The values, row after row.</summary>
    public Span<T> Span => _memory.Span;

    /// <summary>The value at <paramref name="row"/>, <paramref name="column"/>.</summary>
    public T this[int row, int column]
    {
        get => Span[checked((row * Columns) + CheckColumn(column))];
        set => Span[checked((row * Columns) + CheckColumn(column))] = value;
    }

    /// <summary>The values of one row.</summary>
    public Span<T> Row(int row) => _memory.Span.Slice(checked(row * Columns), Columns);

    /// <summary>A view of <paramref name="count"/> rows starting at <paramref name="start"/>; no copy.</summary>
    public Table<T> SliceRows(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, Rows);
        return new Table<T>(_memory.Slice(start * Columns, count * Columns), count, Columns);
    }

    bool Algorithms.IRowTable<T>.ColumnsIsLowerBound => false;

    Algorithms.IRowTable<T> Algorithms.IRowTable<T>.SliceRows(int start, int count) => SliceRows(start, count);

    /// <summary>A zero-row table with <paramref name="columns"/> columns.</summary>
    public static Table<T> Empty(int columns) => new(Memory<T>.Empty, 0, columns);

    /// <summary>A new zero-filled table.</summary>
    public static Table<T> Create(int rows, int columns) => new(new T[checked(rows * columns)], rows, columns);

    /// <summary>A copy of the values as a jagged array, one array per row.</summary>
    public T[][] ToRowArrays()
    {
        var result = new T[Rows][];
        for (int i = 0; i < Rows; i++)
        {
            result[i] = Row(i).ToArray();
        }

        return result;
    }

    /// <summary>A copy of this table converted to <see cref="double"/> (no copy when it already is).</summary>
    public Table<double> ToDouble()
    {
        if (this is Table<double> same)
        {
            return same;
        }

        var values = new double[Rows * Columns];
        ReadOnlySpan<T> source = Span;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = double.CreateTruncating(source[i]);
        }

        return new Table<double>(values, Rows, Columns);
    }

    private int CheckColumn(int column)
    {
        if ((uint)column >= (uint)Columns)
        {
            throw new ArgumentOutOfRangeException(nameof(column));
        }

        return column;
    }

    private static int RowsOf(int length, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if (length % columns != 0)
        {
            throw new ArgumentException($"{length} values are not a whole number of rows of {columns}.", nameof(columns));
        }

        return length / columns;
    }
}

/// <summary>Creates tables over existing memory.</summary>
public static class Table
{
    /// <summary>Views a row-major array as a table; no copy.</summary>
    public static Table<T> FromArray<T>(T[] values, int rows, int columns)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => new(values, rows, columns);

    /// <summary>Views a 2-D array (which .NET stores row-major) as a table; no copy.</summary>
    public static Table<T> FromArray<T>(T[,] values)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(values);
        var manager = new Array2DMemoryManager<T>(values);
        return new Table<T>(manager.Memory, values.GetLength(0), values.GetLength(1));
    }

    /// <summary>Copies jagged rows (all of one length) into a new table.</summary>
    public static Table<T> FromRows<T>(IReadOnlyList<T[]> rows)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(rows);
        int columns = rows.Count == 0 ? 0 : rows[0].Length;
        var table = Table<T>.Create(rows.Count, columns);
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i].Length != columns)
            {
                throw new ArgumentException($"Row {i} has {rows[i].Length} values; row 0 has {columns}.", nameof(rows));
            }

            rows[i].CopyTo(table.Row(i));
        }

        return table;
    }

    /// <summary>
    /// Views unmanaged memory as a table; no copy. The caller keeps the memory alive and unmoved while the table is used.
    /// </summary>
    public static unsafe Table<T> FromPointer<T>(T* values, int rows, int columns)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var manager = new PointerMemoryManager<T>(values, checked(rows * columns));
        return new Table<T>(manager.Memory, rows, columns);
    }

    private sealed class Array2DMemoryManager<T>(T[,] array) : MemoryManager<T>
        where T : unmanaged
    {
        public override Span<T> GetSpan()
            => MemoryMarshal.CreateSpan(ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(array)), array.Length);

        public override unsafe MemoryHandle Pin(int elementIndex = 0)
        {
            var handle = GCHandle.Alloc(array, GCHandleType.Pinned);
            var pointer = (T*)handle.AddrOfPinnedObject() + elementIndex;
            return new MemoryHandle(pointer, handle, this);
        }

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }

    private sealed unsafe class PointerMemoryManager<T>(T* pointer, int length) : MemoryManager<T>
        where T : unmanaged
    {
        public override Span<T> GetSpan() => new(pointer, length);

        public override MemoryHandle Pin(int elementIndex = 0) => new(pointer + elementIndex, default, this);

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}
