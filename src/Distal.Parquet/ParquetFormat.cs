using System.Buffers;
using System.Numerics;
using Distal.Columnar;
using Parquet;
using Parquet.Schema;

namespace Distal.Parquet;

/// <summary>
/// Reads and writes Apache Parquet files with Parquet.Net (fully managed). Register it once with
/// <c>DataFile.Register(ParquetFormat.Instance)</c>; files ending in <c>.parquet</c>, <c>.parq</c> or <c>.pq</c> are then
/// read with it everywhere. Every selected column must be numeric (any physical type: INT32, INT64, FLOAT, DOUBLE,
/// and the integer and decimal logical types on them) without missing values. A share holds an equal range of
/// rows; only the row groups overlapping it are read.
/// </summary>
public sealed class ParquetFormat : TableFormat
{
    /// <summary>Rows per row group that <see cref="Write{T}(string, Table{T})"/> writes.</summary>
    public const int RowGroupRows = 1 << 20;

    private ParquetFormat()
        : base("parquet", ".parquet", ".parq", ".pq")
    {
    }

    /// <summary>The format; register it with <c>DataFile.Register(ParquetFormat.Instance)</c>.</summary>
    public static ParquetFormat Instance { get; } = new();

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
        ParquetReader reader = Open(path, stream);
        try
        {
            return Read<T>(path, reader, share, shares, options.Columns);
        }
        catch (Exception e) when (e is not DistalException)
        {
            throw ColumnarShare.Unreadable(path, "not a readable Parquet file", e);
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <inheritdoc/>
    public override void Write<T>(string path, Table<T> table)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(table);
        DataField[] fields = [.. Enumerable.Range(0, table.Columns).Select(c => new DataField(ColumnName(c), typeof(T), false))];
        using FileStream stream = File.Create(path);
        ParquetWriter writer = ParquetWriter.CreateAsync(new ParquetSchema(fields), stream).GetAwaiter().GetResult();
        try
        {
            T[] column = new T[Math.Min(table.Rows, RowGroupRows)];
            for (int first = 0; first < table.Rows || (first == 0 && table.Rows == 0); first += RowGroupRows)
            {
                int rows = Math.Min(RowGroupRows, table.Rows - first);
                using ParquetRowGroupWriter group = writer.CreateRowGroup();
                for (int c = 0; c < table.Columns; c++)
                {
                    ReadOnlySpan<T> values = table.Span;
                    for (int r = 0; r < rows; r++)
                    {
                        column[r] = values[((first + r) * table.Columns) + c];
                    }

                    group.WriteAsync<T>(fields[c], column.AsMemory(0, rows)).GetAwaiter().GetResult();
                }

                if (table.Rows == 0)
                {
                    break;
                }
            }
        }
        finally
        {
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <inheritdoc/>
    /// <remarks>One row group is in memory at a time (its overlap with the share), handed out in chunks.</remarks>
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
        ParquetReader reader = Open(path, stream);
        try
        {
            Layout layout = Guarded(path, () => Plan(path, reader, share, shares, columns));
            int width = layout.Fields.Length;
            T[] group = [];
            foreach ((int g, long from, int count) in layout.Overlaps())
            {
                if (group.Length < count * width)
                {
                    group = GC.AllocateUninitializedArray<T>(count * width);
                }

                Guarded(path, () => FillGroup(path, reader, layout, g, from, count, group.AsSpan(0, count * width)));
                for (int start = 0; start < count; start += chunkRows)
                {
                    int rows = Math.Min(chunkRows, count - start);
                    yield return new Table<T>(group.AsMemory(start * width, rows * width), rows, width);
                }
            }
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static Table<T> Read<T>(string path, ParquetReader reader, int share, int shares, IReadOnlyList<string>? columns)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Layout layout = Plan(path, reader, share, shares, columns);
        int width = layout.Fields.Length;
        int rows = checked((int)(layout.End - layout.First));
        if (rows == 0)
        {
            return Table<T>.Empty(width);
        }

        T[] values = GC.AllocateUninitializedArray<T>(checked(rows * width));
        foreach ((int g, long from, int count) in layout.Overlaps())
        {
            FillGroup(path, reader, layout, g, from, count, values.AsSpan((int)(from - layout.First) * width, count * width));
        }

        return new Table<T>(values, rows, width);
    }

    /// <summary>The selected fields, each row group's size and first file row, and the share's rows [First, End).</summary>
    private sealed record Layout(DataField[] Fields, long[] GroupRows, long[] GroupStarts, long First, long End)
    {
        /// <summary>The row groups overlapping the share: group, first file row of the overlap, its row count.</summary>
        public IEnumerable<(int Group, long From, int Count)> Overlaps()
        {
            for (int g = 0; g < GroupRows.Length; g++)
            {
                long from = Math.Max(First, GroupStarts[g]);
                long to = Math.Min(End, GroupStarts[g] + GroupRows[g]);
                if (from < to)
                {
                    yield return (g, from, (int)(to - from));
                }
            }
        }
    }

    private static Layout Plan(string path, ParquetReader reader, int share, int shares, IReadOnlyList<string>? columns)
    {
        Field[] top = [.. reader.Schema.Fields];
        int[] selected = SelectColumns(path, [.. top.Select(f => f.Name)], columns);
        var fields = new DataField[selected.Length];
        for (int i = 0; i < selected.Length; i++)
        {
            fields[i] = top[selected[i]] is DataField { MaxRepetitionLevel: 0 } field && IsNumeric(field.ClrType)
                ? field
                : throw new DistalException(FailureKind.Input, $"{path}: column '{top[selected[i]].Name}' is not numeric ({Describe(top[selected[i]])}); select numeric columns with --columns");
        }

        long[] groupRows = new long[reader.RowGroupCount];
        long[] groupStarts = new long[groupRows.Length];
        for (int g = 0; g < groupRows.Length; g++)
        {
            using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
            groupRows[g] = group.RowCount;
            groupStarts[g] = g == 0 ? 0 : groupStarts[g - 1] + groupRows[g - 1];
        }

        (long first, long end) = ColumnarShare.RowRange(groupRows.Sum(), share, shares);
        return new Layout(fields, groupRows, groupStarts, first, end);
    }

    /// <summary>Reads rows [from, from + count) of row group <paramref name="g"/> into <paramref name="destination"/>, row-major.</summary>
    private static void FillGroup<T>(string path, ParquetReader reader, Layout layout, int g, long from, int count, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int width = layout.Fields.Length;
        T[] staging = ArrayPool<T>.Shared.Rent(count * width);
        try
        {
            using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
            for (int c = 0; c < width; c++)
            {
                var slice = new ColumnSlice(path, layout.Fields[c], (int)layout.GroupRows[g], (int)(from - layout.GroupStarts[g]), count, layout.GroupStarts[g]);
                StageColumn(group, slice, staging.AsSpan(0, count * width), c);
            }

            ColumnarShare.Transpose<T>(staging, count, 0, count, destination, width, 0);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(staging);
        }
    }

    /// <summary>Runs <paramref name="step"/>, turning the library's exceptions into one-line input errors naming the file.</summary>
    private static TResult Guarded<TResult>(string path, Func<TResult> step)
    {
        try
        {
            return step();
        }
        catch (Exception e) when (e is not DistalException)
        {
            throw ColumnarShare.Unreadable(path, "not a readable Parquet file", e);
        }
    }

    private static void Guarded(string path, Action step) => Guarded(path, () =>
    {
        step();
        return true;
    });

    /// <summary>The rows [From, From + Count) of one column in a row group of <c>GroupRows</c> rows starting at file row <c>GroupStart</c>.</summary>
    private readonly record struct ColumnSlice(string Path, DataField Field, int GroupRows, int From, int Count, long GroupStart);

    private static void StageColumn<T>(ParquetRowGroupReader group, ColumnSlice slice, Span<T> staging, int column)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Type type = slice.Field.ClrType;
        if (type == typeof(double))
        {
            StageTyped<double, T>(group, slice, staging, column);
        }
        else if (type == typeof(float))
        {
            StageTyped<float, T>(group, slice, staging, column);
        }
        else if (type == typeof(int))
        {
            StageTyped<int, T>(group, slice, staging, column);
        }
        else if (type == typeof(long))
        {
            StageTyped<long, T>(group, slice, staging, column);
        }
        else if (type == typeof(short))
        {
            StageTyped<short, T>(group, slice, staging, column);
        }
        else if (type == typeof(sbyte))
        {
            StageTyped<sbyte, T>(group, slice, staging, column);
        }
        else if (type == typeof(byte))
        {
            StageTyped<byte, T>(group, slice, staging, column);
        }
        else if (type == typeof(ushort))
        {
            StageTyped<ushort, T>(group, slice, staging, column);
        }
        else if (type == typeof(uint))
        {
            StageTyped<uint, T>(group, slice, staging, column);
        }
        else if (type == typeof(ulong))
        {
            StageTyped<ulong, T>(group, slice, staging, column);
        }
        else
        {
            StageTyped<decimal, T>(group, slice, staging, column);
        }
    }

    private static void StageTyped<TSource, T>(ParquetRowGroupReader group, ColumnSlice slice, Span<T> staging, int column)
        where TSource : struct, INumberBase<TSource>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        TSource[] buffer = ArrayPool<TSource>.Shared.Rent(slice.GroupRows);
        try
        {
            if (slice.Field.IsNullable)
            {
                TSource?[] nullable = ArrayPool<TSource?>.Shared.Rent(slice.GroupRows);
                try
                {
                    group.ReadAsync<TSource>(slice.Field, nullable.AsMemory(0, slice.GroupRows)).GetAwaiter().GetResult();
                    for (int i = slice.From; i < slice.From + slice.Count; i++)
                    {
                        buffer[i] = nullable[i] ?? throw ColumnarShare.MissingValue(slice.Path, slice.Field.Name, slice.GroupStart + i);
                    }
                }
                finally
                {
                    ArrayPool<TSource?>.Shared.Return(nullable);
                }
            }
            else
            {
                group.ReadAsync<TSource>(slice.Field, buffer.AsMemory(0, slice.GroupRows)).GetAwaiter().GetResult();
            }

            ColumnarShare.Stage(buffer.AsSpan(slice.From, slice.Count), staging, slice.Count, column, slice.Path, slice.Field.Name, slice.GroupStart + slice.From);
        }
        finally
        {
            ArrayPool<TSource>.Shared.Return(buffer);
        }
    }

    private static bool IsNumeric(Type type)
        => type == typeof(double) || type == typeof(float) || type == typeof(int) || type == typeof(long) || type == typeof(short)
            || type == typeof(sbyte) || type == typeof(byte) || type == typeof(ushort) || type == typeof(uint) || type == typeof(ulong)
            || type == typeof(decimal);

    private static string Describe(Field field) => field is DataField data ? data.ClrType.Name : field.SchemaType.ToString().ToLowerInvariant();

    private static ParquetReader Open(string path, FileStream stream)
    {
        ParquetFooter.Check(path, stream);
        try
        {
            return ParquetReader.CreateAsync(new PageGuardStream(stream), null, true).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not DistalException)
        {
            throw ColumnarShare.Unreadable(path, "cannot read as Parquet", e);
        }
    }
}
