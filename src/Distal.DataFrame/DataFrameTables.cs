using System.Numerics;
using Microsoft.Data.Analysis;

namespace Distal.DataFrames;

/// <summary>
/// Microsoft.Data.Analysis <see cref="DataFrame"/> input: numeric columns as a <see cref="Table{T}"/> that every
/// Distal algorithm takes. A DataFrame stores columns and a table stores rows, so this is one copy (transposed,
/// buffer by buffer); in distributed mode each rank converts its own frame.
/// </summary>
/// <example>
/// <code>
/// var frame = DataFrame.LoadCsv("sales.csv");
/// var covariance = new Covariance().Compute(frame.ToTable&lt;double&gt;(["price", "volume"])).Covariance;
/// </code>
/// </example>
public static class DataFrameTables
{
    /// <summary>
    /// The columns named in <paramref name="columns"/> (all columns when null), in that order, as a row-major table.
    /// Columns of any integer type, <see cref="float"/>, <see cref="double"/> or <see cref="decimal"/> are taken;
    /// every value must be present.
    /// </summary>
    /// <typeparam name="T"><see cref="double"/> or <see cref="float"/> (values beyond float's range fail).</typeparam>
    /// <param name="frame">The frame (this rank's rows in distributed mode).</param>
    /// <param name="columns">Column names to read, in order; null reads every column.</param>
    /// <returns>A new table of <c>frame.Rows.Count</c> rows.</returns>
    /// <exception cref="DistalException">A name is missing (usage), or a column is not numeric, has a missing value or a value beyond <typeparamref name="T"/> (input).</exception>
    public static Table<T> ToTable<T>(this DataFrame frame, IReadOnlyList<string>? columns = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(frame);
        DataFrameColumn[] selected = Select(frame, columns);
        long rows = frame.Rows.Count;
        if (rows * Math.Max(1, selected.Length) > Array.MaxLength)
        {
            throw new DistalException(FailureKind.Input, $"the frame's {rows} rows × {selected.Length} columns do not fit in one table");
        }

        var table = Table<T>.Create((int)rows, selected.Length);
        for (int c = 0; c < selected.Length; c++)
        {
            DataFrameColumn column = selected[c];
            if (column.NullCount > 0)
            {
                long row = 0;
                while (column[row] is not null)
                {
                    row++;
                }

                throw new DistalException(FailureKind.Input, $"column '{column.Name}', row {row}: missing value");
            }

            switch (column)
            {
                case PrimitiveDataFrameColumn<double> d: Copy(d, table, c); break;
                case PrimitiveDataFrameColumn<float> f: Copy(f, table, c); break;
                case PrimitiveDataFrameColumn<long> l: Copy(l, table, c); break;
                case PrimitiveDataFrameColumn<int> i: Copy(i, table, c); break;
                case PrimitiveDataFrameColumn<short> s: Copy(s, table, c); break;
                case PrimitiveDataFrameColumn<sbyte> sb: Copy(sb, table, c); break;
                case PrimitiveDataFrameColumn<ulong> ul: Copy(ul, table, c); break;
                case PrimitiveDataFrameColumn<uint> ui: Copy(ui, table, c); break;
                case PrimitiveDataFrameColumn<ushort> us: Copy(us, table, c); break;
                case PrimitiveDataFrameColumn<byte> b: Copy(b, table, c); break;
                case PrimitiveDataFrameColumn<decimal> m: Copy(m, table, c); break;
                default: throw NotNumeric(column);
            }
        }

        return table;
    }

    private static DataFrameColumn[] Select(DataFrame frame, IReadOnlyList<string>? names)
    {
        if (names is null)
        {
            return [.. frame.Columns];
        }

        var selected = new DataFrameColumn[names.Count];
        for (int i = 0; i < names.Count; i++)
        {
            int index = frame.Columns.IndexOf(names[i]);
            if (index < 0)
            {
                string available = string.Join(", ", frame.Columns.Take(20).Select(c => c.Name)) + (frame.Columns.Count > 20 ? ", …" : string.Empty);
                throw new DistalException(FailureKind.Usage, $"no column '{names[i]}' (the frame has: {available})");
            }

            selected[i] = frame.Columns[index];
        }

        return selected;
    }

    /// <summary>One column into column <paramref name="c"/> of the table, buffer by buffer (the frame's own storage).</summary>
    private static void Copy<TSource, T>(PrimitiveDataFrameColumn<TSource> column, Table<T> table, int c)
        where TSource : unmanaged, INumberBase<TSource>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int columns = table.Columns;
        Span<T> values = table.Span;
        int row = 0;
        foreach (ReadOnlyMemory<TSource> buffer in column.GetReadOnlyDataBuffers())
        {
            foreach (TSource value in buffer.Span)
            {
                T converted = T.CreateSaturating(value);
                if (T.IsInfinity(converted) && !TSource.IsInfinity(value))
                {
                    throw new DistalException(FailureKind.Input, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"column '{column.Name}', row {row}: {value} does not fit in float"));
                }

                values[(row * columns) + c] = converted;
                row++;
            }
        }
    }

    private static DistalException NotNumeric(DataFrameColumn column)
        => new(FailureKind.Input, $"column '{column.Name}' is not numeric ({column.DataType.Name}): select numeric columns by name");
}
