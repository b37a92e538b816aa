using System.Buffers;
using System.Numerics;
using Apache.Arrow;
using Apache.Arrow.Compression;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using Distal.Columnar;

namespace Distal.Arrow;

/// <summary>
/// Reads and writes Arrow IPC files (the random-access file format, also called Feather version 2: what pandas'
/// <c>to_feather</c>, polars' <c>write_ipc</c> and DuckDB write) with Apache.Arrow, including LZ4- and
/// Zstandard-compressed files. Register it once with <c>DataFile.Register(ArrowFormat.Instance)</c>; files ending in
/// <c>.arrow</c>, <c>.feather</c> or <c>.ipc</c> are then read with it everywhere. Every selected column must be
/// numeric (integers of any width, half, single or double floats) without missing values. Record batches are the
/// unit of sharing: share s of S reads batches [s·B/S, (s+1)·B/S), so a file should have at least as many batches
/// as there are ranks (writers cut batches of 64K rows or so; this class writes batches of
/// <see cref="BatchRows"/> rows).
/// </summary>
public sealed class ArrowFormat : TableFormat
{
    /// <summary>Rows per record batch that <see cref="Write{T}(string, Table{T})"/> writes.</summary>
    public const int BatchRows = 1 << 16;

    private ArrowFormat()
        : base("arrow", ".arrow", ".feather", ".ipc")
    {
    }

    /// <summary>The format; register it with <c>DataFile.Register(ArrowFormat.Instance)</c>.</summary>
    public static ArrowFormat Instance { get; } = new();

    /// <inheritdoc/>
    public override bool HasColumnNames => true;

    /// <inheritdoc/>
    public override bool CanWrite => true;

    /// <inheritdoc/>
    public override Table<T> ReadShare<T>(string path, int share, int shares, TableReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        using FileStream stream = ColumnarShare.OpenRead(path);
        try
        {
            using var reader = new ArrowFileReader(stream, Apache.Arrow.Memory.MemoryAllocator.Default.Value, new CompressionCodecFactory(), leaveOpen: true);
            return Read<T>(path, reader, share, shares, options.Columns);
        }
        catch (Exception e) when (e is not DistalException)
        {
            throw ColumnarShare.Unreadable(path, "not a readable Arrow IPC file", e);
        }
    }

    /// <inheritdoc/>
    public override void Write<T>(string path, Table<T> table)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(table);
        IArrowType type = typeof(T) == typeof(float) ? FloatType.Default : DoubleType.Default;
        var schema = new Schema([.. Enumerable.Range(0, table.Columns).Select(c => new Field(ColumnName(c), type, false))], null);
        using FileStream stream = File.Create(path);
        using var writer = new ArrowFileWriter(stream, schema);
        writer.WriteStart();
        T[] column = new T[Math.Min(table.Rows, BatchRows)];
        for (int first = 0; first < table.Rows; first += BatchRows)
        {
            int rows = Math.Min(BatchRows, table.Rows - first);
            var arrays = new IArrowArray[table.Columns];
            for (int c = 0; c < table.Columns; c++)
            {
                ReadOnlySpan<T> values = table.Span;
                for (int r = 0; r < rows; r++)
                {
                    column[r] = values[((first + r) * table.Columns) + c];
                }

                arrays[c] = Build<T>(column.AsSpan(0, rows));
            }

            using var batch = new RecordBatch(schema, arrays, rows);
            writer.WriteRecordBatch(batch);
        }

        writer.WriteEnd();
    }

    /// <inheritdoc/>
    /// <remarks>One record batch is in memory at a time, handed out in chunks.</remarks>
    public override IEnumerable<Table<T>> ReadChunks<T>(string path, int share, int shares, int chunkRows, TableReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkRows);
        return Chunks<T>(path, share, shares, chunkRows, options.Columns);
    }

    private static IEnumerable<Table<T>> Chunks<T>(string path, int share, int shares, int chunkRows, IReadOnlyList<string>? columns)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        using FileStream stream = ColumnarShare.OpenRead(path);
        using var reader = Guarded(path, () => new ArrowFileReader(stream, Apache.Arrow.Memory.MemoryAllocator.Default.Value, new CompressionCodecFactory(), leaveOpen: true));
        (int[] selected, long firstBatch, long endBatch) = Guarded(path, () => Plan(path, reader, share, shares, columns));
        long firstFileRow = Guarded(path, () => RowsBefore(reader, firstBatch));
        T[] rows = [];
        for (long b = firstBatch; b < endBatch; b++)
        {
            // A damaged file can make the library return no batch, or a batch whose columns do not match the schema:
            // both become the same one-line error as the whole-share read gives.
            using RecordBatch batch = Guarded(path, () => reader.ReadRecordBatchAsync((int)b, default).AsTask().GetAwaiter().GetResult()
                ?? throw new InvalidDataException($"record batch {b} is missing"));
            int count = batch.Length;
            int width = selected.Length;
            if (rows.Length < count * width)
            {
                rows = GC.AllocateUninitializedArray<T>(count * width);
            }

            try
            {
                FillBatch(path, reader.Schema, batch, selected, rows.AsSpan(0, count * width), firstFileRow);
            }
            catch (Exception e) when (e is not DistalException)
            {
                throw ColumnarShare.Unreadable(path, "not a readable Arrow IPC file", e);
            }
            for (int start = 0; start < count; start += chunkRows)
            {
                int n = Math.Min(chunkRows, count - start);
                yield return new Table<T>(rows.AsMemory(start * width, n * width), n, width);
            }

            firstFileRow += count;
        }
    }

    private static TResult Guarded<TResult>(string path, Func<TResult> step)
    {
        try
        {
            return step();
        }
        catch (Exception e) when (e is not DistalException)
        {
            throw ColumnarShare.Unreadable(path, "not a readable Arrow IPC file", e);
        }
    }

    private static IArrowArray Build<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        var buffer = new ArrowBuffer.Builder<T>(values.Length).Append(values).Build();
        return typeof(T) == typeof(float)
            ? new FloatArray(buffer, ArrowBuffer.Empty, values.Length, 0, 0)
            : new DoubleArray(buffer, ArrowBuffer.Empty, values.Length, 0, 0);
    }

    private static Table<T> Read<T>(string path, ArrowFileReader reader, int share, int shares, IReadOnlyList<string>? columns)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        (int[] selected, long firstBatch, long endBatch) = Plan(path, reader, share, shares, columns);
        var parts = new List<RecordBatch>();
        try
        {
            long firstFileRow = RowsBefore(reader, firstBatch);
            long rows = 0;
            for (long b = firstBatch; b < endBatch; b++)
            {
                RecordBatch batch = reader.ReadRecordBatchAsync((int)b, default).AsTask().GetAwaiter().GetResult();
                parts.Add(batch);
                rows += batch.Length;
            }

            int width = selected.Length;
            if (rows == 0)
            {
                return Table<T>.Empty(width);
            }

            T[] values = GC.AllocateUninitializedArray<T>(checked((int)rows * width));
            int tableRow = 0;
            foreach (RecordBatch batch in parts)
            {
                FillBatch(path, reader.Schema, batch, selected, values.AsSpan(tableRow * width, batch.Length * width), firstFileRow + tableRow);
                tableRow += batch.Length;
            }

            return new Table<T>(values, (int)rows, width);
        }
        finally
        {
            foreach (RecordBatch batch in parts)
            {
                batch.Dispose();
            }
        }
    }

    /// <summary>The selected columns (checked numeric) and the share's record batches [first, end).</summary>
    private static (int[] Selected, long FirstBatch, long EndBatch) Plan(string path, ArrowFileReader reader, int share, int shares, IReadOnlyList<string>? columns)
    {
        IReadOnlyList<Field> fields = reader.Schema.FieldsList;
        int[] selected = SelectColumns(path, [.. fields.Select(f => f.Name)], columns);
        foreach (int index in selected)
        {
            if (!IsNumeric(fields[index].DataType))
            {
                throw new DistalException(FailureKind.Input, $"{path}: column '{fields[index].Name}' is not numeric ({fields[index].DataType.Name}); select numeric columns with --columns");
            }
        }

        int batches = reader.RecordBatchCountAsync().AsTask().GetAwaiter().GetResult();
        (long first, long end) = ColumnarShare.RowRange(batches, share, shares);
        return (selected, first, end);
    }

    /// <summary>The file row of batch <paramref name="batch"/>'s first row; only error messages need it, and it needs the batches before.</summary>
    private static long RowsBefore(ArrowFileReader reader, long batch)
    {
        long rows = 0;
        for (int b = 0; b < batch; b++)
        {
            using RecordBatch skipped = reader.ReadRecordBatchAsync(b, default).AsTask().GetAwaiter().GetResult();
            rows += skipped.Length;
        }

        return rows;
    }

    /// <summary>Converts the selected columns of <paramref name="batch"/> into row-major <paramref name="destination"/>.</summary>
    private static void FillBatch<T>(string path, Schema schema, RecordBatch batch, int[] selected, Span<T> destination, long firstFileRow)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int count = batch.Length;
        int width = selected.Length;
        // A damaged batch can declare more rows than its columns hold; sizing buffers by it then takes minutes.
        foreach (int index in selected)
        {
            if (batch.Column(index).Length != count)
            {
                throw new DistalException(FailureKind.Input, $"{path}: not a readable Arrow IPC file: a record batch of {count} rows has a column of {batch.Column(index).Length} values");
            }
        }

        T[] staging = ArrayPool<T>.Shared.Rent(count * width);
        try
        {
            for (int c = 0; c < width; c++)
            {
                Stage(path, schema.FieldsList[selected[c]].Name, batch.Column(selected[c]), staging.AsSpan(0, count * width), count, c, firstFileRow);
            }

            ColumnarShare.Transpose<T>(staging, count, 0, count, destination, width, 0);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(staging);
        }
    }

    private static void Stage<T>(string path, string name, IArrowArray column, Span<T> staging, int rows, int index, long firstFileRow)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (column.NullCount > 0)
        {
            // Bounded by the length: in a damaged file the null count can disagree with the validity bitmap.
            int row = 0;
            while (row < column.Length && !column.IsNull(row))
            {
                row++;
            }

            throw row < column.Length
                ? ColumnarShare.MissingValue(path, name, firstFileRow + row)
                : new DistalException(FailureKind.Input, $"{path}: not a readable Arrow IPC file: column '{name}' counts {column.NullCount} missing values, but its validity bitmap marks none");
        }

        switch (column)
        {
            case DoubleArray a: ColumnarShare.Stage(a.Values, staging, rows, index, path, name, firstFileRow); break;
            case FloatArray a: ColumnarShare.Stage(a.Values, staging, rows, index, path, name, firstFileRow); break;
            case HalfFloatArray a: ColumnarShare.Stage(a.Values, staging, rows, index, path, name, firstFileRow); break;
            case Int8Array a: ColumnarShare.Stage(a.Values, staging, rows, index, path, name, firstFileRow); break;
            case Int16Array a: ColumnarShare.Stage(a.Values, staging, rows, index, path, name, firstFileRow); break;
            case Int32Array a: ColumnarShare.Stage(a.Values, staging, rows, index, path, name, firstFileRow); break;
            case Int64Array a: ColumnarShare.Stage(a.Values, staging, rows, index, path, name, firstFileRow); break;
            case UInt8Array a: ColumnarShare.Stage(a.Values, staging, rows, index, path, name, firstFileRow); break;
            case UInt16Array a: ColumnarShare.Stage(a.Values, staging, rows, index, path, name, firstFileRow); break;
            case UInt32Array a: ColumnarShare.Stage(a.Values, staging, rows, index, path, name, firstFileRow); break;
            case UInt64Array a: ColumnarShare.Stage(a.Values, staging, rows, index, path, name, firstFileRow); break;
            default: throw new DistalException(FailureKind.Input, $"{path}: column '{name}' is not numeric ({column.Data.DataType.Name})");
        }
    }

    private static bool IsNumeric(IArrowType type)
        => type.TypeId is ArrowTypeId.Double or ArrowTypeId.Float or ArrowTypeId.HalfFloat
            or ArrowTypeId.Int8 or ArrowTypeId.Int16 or ArrowTypeId.Int32 or ArrowTypeId.Int64
            or ArrowTypeId.UInt8 or ArrowTypeId.UInt16 or ArrowTypeId.UInt32 or ArrowTypeId.UInt64;
}
