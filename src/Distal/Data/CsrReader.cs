using System.Globalization;
using System.Numerics;
using System.Text;

namespace Distal.Data;

/// <summary>This rank's rows of a CSR file, and where they sit among the file's rows.</summary>
internal readonly record struct CsrShare<T>(CsrTable<T> Table, long FirstRow, long TotalRows, long ValuesLine)
    where T : unmanaged, IBinaryFloatingPointIeee754<T>;

/// <summary>
/// Reads daal4py's 3-line CSR files: line 1 the n + 1 row offsets, line 2 the column indices, line 3 the values,
/// comma-separated (a trailing comma is accepted). Offsets and indices count from 1 as daal4py writes them, or from
/// 0 when the first offset is 0. Share s of S holds rows [s·n/S, (s+1)·n/S): the reader scans the separators of all
/// three lines (to find its fields and check the lengths) but parses only the offsets, indices and values of its
/// own rows, so memory is O(own rows + own non-zeros). Every fault is a <see cref="DataFormatException"/> naming
/// file and line.
/// </summary>
internal static class CsrReader
{
    public static CsrShare<T> ReadShare<T>(string path, int share, int shares, int? columns)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(share);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(share, shares);
        using var cursor = new FieldCursor(path);

        // Line 1, first pass: how many offsets, hence rows.
        var offsetsLine = StartLine(cursor, 0, "row offsets");
        long offsetCount = cursor.SkipFields(long.MaxValue);
        long rows = offsetCount - 1;
        long first = rows * share / shares;
        long end = rows * (share + 1) / shares;

        // Line 1, second pass: the first offset (the base), this share's offsets, and the last offset.
        cursor.Seek(offsetsLine.Offset, offsetsLine.Line);
        long b = ReadInteger(cursor, "row offset");
        if (b is not (0 or 1))
        {
            throw Error(cursor, offsetsLine.Line, $"the first row offset is {b}; it must be 0 (zero-based) or 1 (one-based, as daal4py writes)");
        }

        var raw = new long[end - first + 1];
        int next = 0;
        if (first == 0)
        {
            raw[next++] = b;
        }
        else
        {
            cursor.SkipFields(first - 1);
        }

        for (; next < raw.Length; next++)
        {
            raw[next] = ReadInteger(cursor, "row offset");
            long previous = next == 0 ? b : raw[next - 1];
            if (raw[next] < previous)
            {
                throw Error(cursor, offsetsLine.Line, $"row offsets must not decrease: offset {first + next} is {raw[next]}, after {previous}");
            }
        }

        long last = raw[^1];
        if (end < rows)
        {
            cursor.SkipFields(rows - end - 1);
            last = ReadInteger(cursor, "row offset");
            if (last < raw[^1])
            {
                throw Error(cursor, offsetsLine.Line, $"row offsets must not decrease: the last offset is {last}, below offset {end}'s {raw[^1]}");
            }
        }

        long nonZeros = last - b;
        if (nonZeros == 0)
        {
            throw Error(cursor, offsetsLine.Line, "the row offsets describe no values (every row is empty)");
        }
        long from = raw[0] - b;
        long to = raw[^1] - b;
        if (to - from > Array.MaxLength)
        {
            throw Error(cursor, offsetsLine.Line, $"share {share} of {shares} holds {to - from} values; use more ranks");
        }

        var offsets = new int[raw.Length];
        for (int i = 0; i < raw.Length; i++)
        {
            offsets[i] = (int)(raw[i] - raw[0]);
        }

        // Line 2: this share's column indices; line 3: its values. Both lines must hold exactly nonZeros fields.
        var indicesLine = StartLine(cursor, 1, "column indices", skipCurrent: true);
        SkipTo(cursor, indicesLine.Line, from, nonZeros, "column indices");
        var indices = new int[to - from];
        for (int k = 0; k < indices.Length; k++)
        {
            if (!TryReadInteger(cursor, "column index", out long index))
            {
                throw CountError(cursor, indicesLine.Line, from + k, nonZeros, "column indices");
            }

            long column = index - b;
            if (column < 0 || (columns is { } width && column >= width) || column > int.MaxValue)
            {
                string range = columns is { } w ? $"[{b}, {w - 1 + b}]" : $"at least {b}";
                throw Error(cursor, indicesLine.Line, $"column index {index} is out of range: {range}");
            }

            indices[k] = (int)column;
        }

        CheckCount(cursor, indicesLine.Line, from + indices.Length + cursor.SkipFields(long.MaxValue), nonZeros, "column indices");

        var valuesLine = StartLine(cursor, 2, "values", skipCurrent: true);
        SkipTo(cursor, valuesLine.Line, from, nonZeros, "values");
        var values = new T[to - from];
        for (int k = 0; k < values.Length; k++)
        {
            if (!TryReadValue(cursor, out values[k]))
            {
                throw CountError(cursor, valuesLine.Line, from + k, nonZeros, "values");
            }
        }

        CheckCount(cursor, valuesLine.Line, from + values.Length + cursor.SkipFields(long.MaxValue), nonZeros, "values");
        if (cursor.NextContentLine(skipCurrent: true))
        {
            throw Error(cursor, cursor.Line, "a CSR file has 3 lines (row offsets, column indices, values); this is a 4th");
        }

        return new CsrShare<T>(new CsrTable<T>(offsets, indices, values, columns, CsrIndexing.ZeroBased), first, rows, valuesLine.Line);
    }

    private static (long Offset, long Line) StartLine(FieldCursor cursor, int index, string what, bool skipCurrent = false)
    {
        if (!cursor.NextContentLine(skipCurrent))
        {
            throw new DataFormatException(cursor.Path, cursor.Line, 0, $"a CSR file has 3 lines (row offsets, column indices, values); line {index + 1} of them ({what}) is missing");
        }

        return (cursor.LineStart, cursor.Line);
    }

    private static void CheckCount(FieldCursor cursor, long line, long found, long expected, string what)
    {
        if (found == 0 || found != expected)
        {
            throw CountError(cursor, line, found, expected, what);
        }
    }

    private static DataFormatException CountError(FieldCursor cursor, long line, long found, long expected, string what)
        => found == 0 ? Error(cursor, line, $"no {what}") : Error(cursor, line, $"{found} {what}, but the row offsets say {expected} non-zeros");

    private static void SkipTo(FieldCursor cursor, long line, long fields, long expected, string what)
    {
        long skipped = cursor.SkipFields(fields);
        if (skipped < fields)
        {
            throw CountError(cursor, line, skipped, expected, what);
        }
    }

    /// <summary>A field of line 1, whose field count is known: it cannot end early.</summary>
    private static long ReadInteger(FieldCursor cursor, string what)
        => TryReadInteger(cursor, what, out long value) ? value : throw Error(cursor, cursor.Line, $"the line ends before the expected {what}");

    private static bool TryReadInteger(FieldCursor cursor, string what, out long value)
    {
        long line = cursor.Line;
        if (!cursor.TryReadField(out var field, out long column))
        {
            value = 0;
            return false;
        }

        if (field.IsEmpty)
        {
            throw new DataFormatException(cursor.Path, line, column, "empty field");
        }

        if (!long.TryParse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            throw new DataFormatException(cursor.Path, line, column, $"{what} '{Shown(field)}' is not an integer");
        }

        return true;
    }

    private static bool TryReadValue<T>(FieldCursor cursor, out T value)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        long line = cursor.Line;
        if (!cursor.TryReadField(out var field, out long column))
        {
            value = default;
            return false;
        }

        if (field.IsEmpty)
        {
            throw new DataFormatException(cursor.Path, line, column, "empty field");
        }

        int end = 0;
        if ((DecimalParser.TryParse(field, ref end, out value) && end == field.Length && T.IsFinite(value))
            || (T.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && T.IsFinite(value)))
        {
            return true;
        }

        throw new DataFormatException(cursor.Path, line, column, $"'{Shown(field)}' is not a finite number");
    }

    private static DataFormatException Error(FieldCursor cursor, long line, string cause) => new(cursor.Path, line, 0, cause);

    private static string Shown(ReadOnlySpan<byte> field)
    {
        string text = Encoding.UTF8.GetString(field[..Math.Min(field.Length, 40)]);
        return field.Length > 40 ? text + "…" : text;
    }
}
