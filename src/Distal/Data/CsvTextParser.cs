using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace Distal.Data;

/// <summary>
/// Parses lines of headerless numeric CSV into a <see cref="ValueBuffer{T}"/>: one row per non-blank line, all
/// rows of one width. Plain decimal fields go through <see cref="DecimalParser"/>; any other field is given to the
/// runtime's parser, which either accepts it (so the accepted language is exactly <c>NumberStyles.Float</c>) or
/// leads to a <see cref="DataFormatException"/> naming the file-global line and the 1-based byte column.
/// </summary>
internal sealed class CsvTextParser<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly string _path;
    private readonly Func<long> _firstLine;
    private long _lineIndex;

    /// <param name="path">The file, for error messages.</param>
    /// <param name="firstLine">The 1-based file line of the first byte given to the parser; only asked on an error.</param>
    /// <param name="capacity">Initial value capacity.</param>
    public CsvTextParser(string path, Func<long> firstLine, int capacity)
        : this(path, firstLine, new ValueBuffer<T>(capacity))
    {
    }

    /// <param name="path">The file, for error messages.</param>
    /// <param name="firstLine">The 1-based file line of the first byte given to the parser; only asked on an error.</param>
    /// <param name="values">Where the values go (a window of a table shared with other pieces).</param>
    public CsvTextParser(string path, Func<long> firstLine, ValueBuffer<T> values)
    {
        _path = path;
        _firstLine = firstLine;
        Values = values;
    }

    public ValueBuffer<T> Values { get; }

    /// <summary>Columns of the rows seen so far; 0 before the first row.</summary>
    public int Columns { get; private set; }

    public int Rows { get; private set; }

    /// <summary>Parses whole lines; the last line may lack its '\n' only when no more text follows.</summary>
    public void ParseLines(ReadOnlySpan<byte> text) => ParseLines(text, int.MaxValue);

    /// <summary>
    /// Parses whole lines until <see cref="Rows"/> reaches <paramref name="rowLimit"/> and returns how many bytes of
    /// <paramref name="text"/> it consumed (all of them when the limit was not reached).
    /// </summary>
    public int ParseLines(ReadOnlySpan<byte> text, int rowLimit)
    {
        int position = 0;
        while (position < text.Length && Rows < rowLimit)
        {
            if (Columns != 0)
            {
                int next = ParseRowFast(text, position);
                if (next >= 0)
                {
                    Values.Commit(Columns);
                    Rows++;
                    _lineIndex++;
                    position = next;
                    continue;
                }
            }

            ReadOnlySpan<byte> rest = text[position..];
            int newline = rest.IndexOf((byte)'\n');
            ParseLine(rest, newline < 0 ? rest.Length : newline);
            position = newline < 0 ? text.Length : position + newline + 1;
            _lineIndex++;
        }

        return position;
    }

    /// <summary>
    /// The common row, parsed without looking for its end first: <see cref="Columns"/> numbers of the short path
    /// (<see cref="DecimalParser.ParseShort{T}"/>), each followed directly by a comma, the last by a line end ("\n",
    /// "\r\n", or a trailing comma before it). Returns the position after the row, its values written after
    /// <see cref="ValueBuffer{T}.Count"/> but not committed; or −1, with nothing decided, for anything else (blanks,
    /// other number forms, a wrong field count, or too few bytes left to read words past a field), which
    /// <see cref="ParseLine"/> then parses and reports on.
    /// </summary>
    /// <remarks>
    /// Compiled fully optimized at its first call: a CLI run lasts well under a second, and with tiered compilation
    /// the first ~0.1–0.2 s of rows ran through unoptimized code before the optimized version replaced it (measured:
    /// a cold read of the 388 MB benchmark file took ~0.3 s more CPU than a warm one).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private int ParseRowFast(ReadOnlySpan<byte> text, int position)
    {
        int columns = Columns;
        ref T output = ref MemoryMarshal.GetReference(Values.Reserve(columns));

        // Every field start is at most `limit`, so the number parser's reads and the two bytes after a number
        // (a number has at most 20 digits and marks, far below the 48 readable bytes) stay inside the text.
        int limit = text.Length - DecimalParser.ShortPathReadableBytes;
        ref byte start = ref MemoryMarshal.GetReference(text);

        // Read once per row: the JIT folds the static readonly field into a constant, but code compiled ahead of
        // time (the native distal) loads it, and checks its class is initialized, at every use.
        bool vectorized = SixteenDigits.Vectorized;
        for (int field = 0; field < columns; field++)
        {
            if (position > limit)
            {
                return -1;
            }

            // The field's end is found by a vector scan from its start, apart from the parse: the next field's
            // position then waits only on this scan (~15 cycles), not on the digit counts and loads of the number
            // (~40), so the parses of neighbouring fields overlap. The parse must end exactly there.
            // The plainest form (d.ddd, no exponent) is converted knowing that end, and else the general short path.
            int dot = 0;
            int next = vectorized ? position + SeparatorOffset(ref Unsafe.Add(ref start, position), out dot) : -1;
            int end = vectorized && next >= 16 && DecimalParser.TryParsePlain(ref start, position, position + dot, next, ref Unsafe.Add(ref output, field))
                ? next
                : DecimalParser.ParseShort(ref start, position, ref Unsafe.Add(ref output, field));
            next = vectorized ? next : end;
            if (end < 0 || end != next)
            {
                return -1;
            }

            byte separator = Unsafe.Add(ref start, next);
            position = next + 1;
            if (separator != (byte)',' || field == columns - 1)
            {
                return field != columns - 1 ? -1 : EndOfLine(ref start, separator, position);
            }
        }

        return -1;
    }

    /// <summary>
    /// The offset of the first byte among the 32 at <paramref name="text"/> that can end a field (',' or a byte up to
    /// ' ', which takes in '\n', '\r', blanks and control codes; bytes from 0x80 count too), or 32 when none
    /// does. A short-path number is at most 27 bytes long and holds none of them, so its end is this offset.
    /// <paramref name="dot"/> is the offset of the first '.', or 32.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SeparatorOffset(ref byte text, out int dot)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<sbyte> bytes = Vector256.LoadUnsafe(ref Unsafe.As<byte, sbyte>(ref text));
            Vector256<sbyte> ends = Vector256.LessThan(bytes, Vector256.Create((sbyte)'!')) | Vector256.Equals(bytes, Vector256.Create((sbyte)','));
            // The masks are 32 bits wide, and the trailing zero count of an empty one is 32.
            dot = BitOperations.TrailingZeroCount(Vector256.Equals(bytes, Vector256.Create((sbyte)'.')).ExtractMostSignificantBits());
            return BitOperations.TrailingZeroCount(ends.ExtractMostSignificantBits());
        }

        Vector128<sbyte> low = Vector128.LoadUnsafe(ref Unsafe.As<byte, sbyte>(ref text));
        Vector128<sbyte> high = Vector128.LoadUnsafe(ref Unsafe.As<byte, sbyte>(ref text), 16);
        Vector128<sbyte> lowEnds = Vector128.LessThan(low, Vector128.Create((sbyte)'!')) | Vector128.Equals(low, Vector128.Create((sbyte)','));
        Vector128<sbyte> highEnds = Vector128.LessThan(high, Vector128.Create((sbyte)'!')) | Vector128.Equals(high, Vector128.Create((sbyte)','));
        uint dots = Vector128.Equals(low, Vector128.Create((sbyte)'.')).ExtractMostSignificantBits() | (Vector128.Equals(high, Vector128.Create((sbyte)'.')).ExtractMostSignificantBits() << 16);
        dot = BitOperations.TrailingZeroCount(dots);
        return BitOperations.TrailingZeroCount(lowEnds.ExtractMostSignificantBits() | (highEnds.ExtractMostSignificantBits() << 16));
    }

    /// <summary>
    /// After the last field of a row and its <paramref name="separator"/>: the position after the line end, or −1 when
    /// the line does not end here ("\n", "\r\n", ",\n" and ",\r\n" end it; the two bytes after the separator
    /// are readable).
    /// </summary>
    private static int EndOfLine(ref byte text, byte separator, int position)
    {
        if (separator == (byte)'\n')
        {
            return position;
        }

        if (separator is (byte)'\r' or (byte)',')
        {
            byte after = Unsafe.Add(ref text, position);
            if (after == (byte)'\n')
            {
                return position + 1;
            }

            if (separator == (byte)',' && after == (byte)'\r' && Unsafe.Add(ref text, position + 1) == (byte)'\n')
            {
                return position + 2;
            }
        }

        return -1;
    }

    /// <summary>
    /// Sizes the value buffer for <paramref name="totalBytes"/> of text from the density of the
    /// <paramref name="parsedBytes"/> parsed so far, so that a large input is not copied by repeated growth.
    /// </summary>
    public void ReserveFor(long parsedBytes, long totalBytes)
    {
        if (parsedBytes > 0 && totalBytes > parsedBytes)
        {
            double valuesPerByte = (double)Values.Count / parsedBytes;
            Values.EnsureCapacity((long)(valuesPerByte * totalBytes * 1.02) + Columns + 16);
        }
    }

    /// <summary>
    /// The rows parsed since the last <see cref="StartChunk"/> as a table over the parser's own buffer (valid until
    /// the next <see cref="StartChunk"/>).
    /// </summary>
    public Table<T> Chunk() => new(Values.View, Rows, Columns);

    /// <summary>Starts a new chunk of a stream: the values are dropped, the column count and line numbers carry on.</summary>
    public void StartChunk()
    {
        Values.Clear();
        Rows = 0;
    }

    public Table<T> ToTable() => Columns == 0 ? Table<T>.Empty(0) : new Table<T>(Values.ToMemory(), Rows, Columns);

    /// <summary>
    /// Parses the line <paramref name="text"/>[..<paramref name="lineLength"/>]. The text after the line is
    /// passed too, so that the number parser may load whole words past a field near the line end; a number never
    /// reaches past the line, as '\r' and '\n' end every number.
    /// </summary>
    private void ParseLine(ReadOnlySpan<byte> text, int lineLength)
    {
        ReadOnlySpan<byte> line = text[..lineLength];
        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        // A line of n bytes holds at most n/2 + 1 fields.
        Span<T> destination = Values.Reserve((line.Length >> 1) + 1);
        int fields = 0;
        int extraFieldStart = 0;
        int position = 0;
        while (true)
        {
            int fieldStart = position;
            if (fields == Columns)
            {
                extraFieldStart = fieldStart;
            }

            while (position < line.Length && (line[position] == (byte)' ' || line[position] == (byte)'\t'))
            {
                position++;
            }

            int end = position;
            if (DecimalParser.TryParse(text, ref end, out T value) && T.IsFinite(value))
            {
                while (end < line.Length && (line[end] == (byte)' ' || line[end] == (byte)'\t'))
                {
                    end++;
                }

                if (end == line.Length)
                {
                    destination[fields++] = value;
                    break;
                }

                if (line[end] == (byte)',')
                {
                    destination[fields++] = value;
                    position = end + 1;
                    continue;
                }
            }

            int comma = line[fieldStart..].IndexOf((byte)',');
            ReadOnlySpan<byte> field = comma < 0 ? line[fieldStart..] : line.Slice(fieldStart, comma);
            if (comma < 0 && IsBlank(field))
            {
                // Blank line: no row. Blank after a last comma: the trailing comma daal4py's reader ignores.
                if (fields == 0)
                {
                    return;
                }

                break;
            }

            if (!T.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !T.IsFinite(value))
            {
                // A short printable excerpt: a binary file must not echo raw bytes or control codes to the terminal.
                string shown = Excerpt.Of(Encoding.UTF8.GetString(field).Trim().AsSpan());
                string cause = shown.Length == 0 ? "empty field" : $"'{shown}' is not a finite number";
                throw Error(fieldStart + 1, cause);
            }

            destination[fields++] = value;
            if (comma < 0)
            {
                break;
            }

            position = fieldStart + comma + 1;
        }

        if (Columns == 0)
        {
            Columns = fields;
        }
        else if (fields != Columns)
        {
            int column = fields > Columns ? extraFieldStart + 1 : line.Length + 1;
            throw Error(column, $"expected {Columns} fields, found {fields}");
        }

        Values.Commit(fields);
        Rows++;
    }

    private DataFormatException Error(int column, string cause) => new(_path, _firstLine() + _lineIndex, column, cause);

    private static bool IsBlank(ReadOnlySpan<byte> text) => text.IndexOfAnyExcept((byte)' ', (byte)'\t', (byte)'\r') < 0;
}
