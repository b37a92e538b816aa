using System.Globalization;
using System.Numerics;
using Microsoft.Win32.SafeHandles;

namespace Distal.Data;

/// <summary>
/// Reads headerless numeric CSV (daal4py's file input). Accepts a trailing comma, CRLF, blank lines, scientific
/// notation, a leading '+' and spaces around fields; anything else raises a <see cref="DataFormatException"/>
/// naming file, line and column. Values are correctly rounded (bit-equal to <see cref="double.Parse(string)"/>).
/// </summary>
internal static class CsvReader
{
    /// <summary>Reads the whole file.</summary>
    public static Table<T> Read<T>(string path)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => ReadShare<T>(path, 0, 1);

    /// <summary>
    /// Reads share <paramref name="share"/> of <paramref name="shares"/>: the rows whose first byte lies in the
    /// share's byte range [share·L/shares, (share+1)·L/shares). Every row belongs to exactly one share, and a rank
    /// reads only a little more than its own bytes. A share may be empty; its table then has 0 columns.
    /// </summary>
    public static Table<T> ReadShare<T>(string path, int share, int shares)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(share);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(share, shares);
        using SafeFileHandle handle = Open(path);
        long length = RandomAccess.GetLength(handle);
        long start = RowStart(handle, length * share / shares);
        long end = RowStart(handle, length * (share + 1) / shares);
        byte[] bytes = new byte[checked((int)(end - start))];
        ReadExactly(handle, bytes, start);
        return Parse<T>(bytes, path, () => CountLines(handle, start));
    }

    /// <summary>Parses CSV text; <paramref name="firstLine"/> gives the 1-based file line of its first byte when an error must be reported.</summary>
    internal static Table<T> Parse<T>(ReadOnlySpan<byte> text, string path, Func<long> firstLine)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var values = new List<T>();
        int columns = 0;
        long lineIndex = 0;
        while (!text.IsEmpty)
        {
            int newline = text.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = newline < 0 ? text : text[..newline];
            text = newline < 0 ? default : text[(newline + 1)..];
            if (!line.IsEmpty && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (IsBlank(line))
            {
                lineIndex++;
                continue;
            }

            int fields = ParseLine(line, values, path, lineIndex, firstLine);
            if (columns == 0)
            {
                columns = fields;
            }
            else if (fields != columns)
            {
                throw new DataFormatException(path, firstLine() + lineIndex, 0, $"expected {columns} fields, found {fields}");
            }

            lineIndex++;
        }

        return columns == 0 ? Table<T>.Empty(0) : new Table<T>(values.ToArray(), values.Count / columns, columns);
    }

    private static int ParseLine<T>(ReadOnlySpan<byte> line, List<T> values, string path, long lineIndex, Func<long> firstLine)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int fields = 0;
        int position = 0;
        while (true)
        {
            int comma = line[position..].IndexOf((byte)',');
            ReadOnlySpan<byte> field = comma < 0 ? line[position..] : line.Slice(position, comma);
            bool last = comma < 0;
            if (last && IsBlank(field) && fields > 0)
            {
                // A trailing comma leaves one empty last field, which daal4py's reader ignores.
                return fields;
            }

            if (!T.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out T value) || !T.IsFinite(value))
            {
                string shown = System.Text.Encoding.UTF8.GetString(field).Trim();
                string cause = shown.Length == 0 ? "empty field" : $"'{Truncate(shown)}' is not a finite number";
                throw new DataFormatException(path, firstLine() + lineIndex, position + 1, cause);
            }

            values.Add(value);
            fields++;
            if (last)
            {
                return fields;
            }

            position += comma + 1;
        }
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";

    private static bool IsBlank(ReadOnlySpan<byte> text) => text.IndexOfAnyExcept((byte)' ', (byte)'\t', (byte)'\r') < 0;

    internal static SafeFileHandle Open(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DistalException(FailureKind.Input, $"{path}: file not found");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DistalException(FailureKind.Input, $"{path}: {e.Message}");
        }
    }

    /// <summary>The offset of the first row starting at or after <paramref name="offset"/>.</summary>
    private static long RowStart(SafeFileHandle handle, long offset)
    {
        long length = RandomAccess.GetLength(handle);
        if (offset <= 0 || offset >= length)
        {
            return Math.Clamp(offset, 0, length);
        }

        Span<byte> buffer = stackalloc byte[4096];
        long position = offset - 1;
        while (position < length)
        {
            int read = RandomAccess.Read(handle, buffer, position);
            int newline = buffer[..read].IndexOf((byte)'\n');
            if (newline >= 0)
            {
                return position + newline + 1;
            }

            position += read;
        }

        return length;
    }

    private static void ReadExactly(SafeFileHandle handle, Span<byte> destination, long offset)
    {
        while (!destination.IsEmpty)
        {
            int read = RandomAccess.Read(handle, destination, offset);
            if (read == 0)
            {
                throw new DistalException(FailureKind.Input, "file shrank while it was read");
            }

            destination = destination[read..];
            offset += read;
        }
    }

    /// <summary>The 1-based line number of the byte at <paramref name="offset"/>; only needed to report an error.</summary>
    private static long CountLines(SafeFileHandle handle, long offset)
    {
        byte[] buffer = new byte[1 << 20];
        long lines = 1;
        for (long position = 0; position < offset;)
        {
            int read = RandomAccess.Read(handle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, offset - position)), position);
            if (read == 0)
            {
                break;
            }

            lines += buffer.AsSpan(0, read).Count((byte)'\n');
            position += read;
        }

        return lines;
    }
}
