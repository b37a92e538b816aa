using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Distal.Data;

/// <summary>
/// Walks the comma-separated fields of a file's lines through one pooled buffer, forwards only. Skipping fields
/// counts separators with vectorized searches and parses nothing, so a rank that needs only its share of a very long
/// line (daal4py's CSR files hold a whole table in three lines) pays a scan, not a parse, for the rest. A field is
/// handed out as a span of the buffer, valid until the next call.
/// </summary>
internal sealed class FieldCursor : IDisposable
{
    private const int BufferBytes = 1 << 20;

    private readonly SafeFileHandle _handle;
    private readonly long _length;
    private byte[] _buffer;
    private long _bufferStart;
    private int _position;
    private int _filled;
    private long _lineStart;

    public FieldCursor(string path, long start = 0)
    {
        Path = path;
        _handle = CsvReader.Open(path);
        _length = RandomAccess.GetLength(_handle);
        _buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        Seek(start, 1);
    }

    public string Path { get; }

    /// <summary>The 1-based number of the line the cursor is in.</summary>
    public long Line { get; private set; }

    /// <summary>The file offset where the current line starts.</summary>
    public long LineStart => _lineStart;

    /// <summary>The 1-based byte column of the cursor in its line (for error messages).</summary>
    public long Column => _bufferStart + _position - _lineStart + 1;

    /// <summary>True when the cursor is past the last byte of the file.</summary>
    public bool AtEndOfFile => _position == _filled && _bufferStart + _filled >= _length;

    /// <summary>Moves to file offset <paramref name="offset"/>, which starts line <paramref name="line"/>.</summary>
    public void Seek(long offset, long line)
    {
        _bufferStart = offset;
        _position = 0;
        _filled = 0;
        _lineStart = offset;
        Line = line;
    }

    /// <summary>
    /// Moves to the start of the next line that holds anything but blanks (skipping the rest of the current one when
    /// <paramref name="skipCurrent"/>); false at the end of the file.
    /// </summary>
    public bool NextContentLine(bool skipCurrent)
    {
        if (skipCurrent && !SkipPastNewline())
        {
            return false;
        }

        while (true)
        {
            if (!Ensure(1))
            {
                return false;
            }

            var rest = _buffer.AsSpan(_position, _filled - _position);
            int content = rest.IndexOfAnyExcept((byte)' ', (byte)'\t', (byte)'\r');
            if (content >= 0 && rest[content] != (byte)'\n')
            {
                _position += content;
                return true;
            }

            if (content < 0)
            {
                // Only blanks in the buffer: keep looking in the next chunk of the same line.
                _position = _filled;
                continue;
            }

            _position += content + 1;
            _lineStart = _bufferStart + _position;
            Line++;
        }
    }

    /// <summary>
    /// Skips up to <paramref name="count"/> fields of the current line and returns how many there were; stops at the
    /// end of the line (a trailing comma's empty last field is not a field). After skipping k &lt; all fields, the
    /// cursor is at the start of field k.
    /// </summary>
    public long SkipFields(long count)
    {
        long skipped = 0;
        while (skipped < count)
        {
            if (!Ensure(1))
            {
                return skipped;
            }

            var rest = _buffer.AsSpan(_position, _filled - _position);
            int newline = rest.IndexOf((byte)'\n');
            var region = newline >= 0 ? rest[..newline] : rest;
            int commas = region.Count((byte)',');
            if (commas >= count - skipped)
            {
                int at = 0;
                for (long k = count - skipped; k > 0; k--)
                {
                    at += region[at..].IndexOf((byte)',') + 1;
                }

                _position += at;
                return count;
            }

            skipped += commas;
            int lastComma = region.LastIndexOf((byte)',');
            if (newline < 0 && !AtLastChunk)
            {
                // The field after the last comma may continue in the next chunk: keep it in the buffer.
                _position += lastComma + 1;
                Refill();
                continue;
            }

            // The end of the line: its last field counts unless it is blank (a trailing comma, or an empty line).
            var last = region[(lastComma + 1)..];
            _position += lastComma + 1 + last.Length;
            if (!IsBlank(last))
            {
                skipped++;
            }

            return skipped;
        }

        return skipped;
    }

    /// <summary>
    /// The next field of the current line, without surrounding blanks, and its 1-based byte column; false at the end
    /// of the line (a blank field after a trailing comma ends the line too). An empty field is returned empty.
    /// </summary>
    public bool TryReadField(out ReadOnlySpan<byte> field, out long column)
    {
        column = Column;
        while (true)
        {
            if (!Ensure(1))
            {
                field = default;
                return false;
            }

            var rest = _buffer.AsSpan(_position, _filled - _position);
            int separator = rest.IndexOfAny((byte)',', (byte)'\n');
            if (separator < 0 && !AtLastChunk)
            {
                if (_position == 0 && _filled == _buffer.Length)
                {
                    throw new DataFormatException(Path, Line, Column, $"a field longer than {BufferBytes} bytes");
                }

                Refill();
                continue;
            }

            bool endOfLine = separator < 0 || rest[separator] == (byte)'\n';
            var raw = separator < 0 ? rest : rest[..separator];
            if (endOfLine && IsBlank(raw))
            {
                _position += raw.Length;
                field = default;
                return false;
            }

            _position += raw.Length + (endOfLine ? 0 : 1);
            field = Trim(raw);
            return true;
        }
    }

    public void Dispose()
    {
        _handle.Dispose();
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> text) => text.IndexOfAnyExcept((byte)' ', (byte)'\t', (byte)'\r') < 0;

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> text)
    {
        int start = text.IndexOfAnyExcept((byte)' ', (byte)'\t', (byte)'\r');
        return start < 0 ? default : text[start..(text.LastIndexOfAnyExcept((byte)' ', (byte)'\t', (byte)'\r') + 1)];
    }

    private bool AtLastChunk => _bufferStart + _filled >= _length;

    private bool SkipPastNewline()
    {
        while (Ensure(1))
        {
            var rest = _buffer.AsSpan(_position, _filled - _position);
            int newline = rest.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                _position += newline + 1;
                _lineStart = _bufferStart + _position;
                Line++;
                return true;
            }

            _position = _filled;
        }

        return false;
    }

    /// <summary>Makes at least <paramref name="bytes"/> unread bytes available unless the file ends first.</summary>
    private bool Ensure(int bytes)
    {
        if (_filled - _position >= bytes)
        {
            return true;
        }

        if (AtLastChunk)
        {
            return _filled - _position > 0;
        }

        Refill();
        return _filled - _position > 0;
    }

    /// <summary>Keeps the unread bytes, moved to the front, and reads more after them.</summary>
    private void Refill()
    {
        int kept = _filled - _position;
        _buffer.AsSpan(_position, kept).CopyTo(_buffer);
        _bufferStart += _position;
        _position = 0;
        int wanted = (int)Math.Min(_buffer.Length - kept, _length - (_bufferStart + kept));
        int read = wanted <= 0 ? 0 : RandomAccess.Read(_handle, _buffer.AsSpan(kept, wanted), _bufferStart + kept);
        if (wanted > 0 && read == 0)
        {
            throw new DistalException(FailureKind.Input, $"{Path}: file shrank while it was read");
        }

        _filled = kept + read;
    }
}
