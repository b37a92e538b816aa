using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Distal.Data;

/// <summary>
/// Finds and counts rows of a headerless CSV file without parsing them (a row is a line holding anything but blanks,
/// as the CSV reader counts them): the file line of a row, to name it in an error, and the rows of a share, so that a
/// targets file can be read for exactly the rows another file's share holds (see <see cref="RowAlignedInput"/>).
/// </summary>
internal static class CsvRowLocator
{
    private const int ChunkBytes = 1 << 20;

    /// <summary>The 1-based file line of 0-based row <paramref name="row"/>; 0 when the file has fewer rows.</summary>
    public static long LineOfRow(string path, long row)
    {
        using SafeFileHandle handle = CsvReader.Open(path);
        var (_, line) = Locate(handle, path, row);
        return line;
    }

    /// <summary>
    /// The rows of share <paramref name="share"/> of <paramref name="shares"/> (the byte range the CSV readers give that
    /// share), counted without parsing: a row is a line with a byte other than a blank, as the reader counts them.
    /// </summary>
    public static long CountShareRows(string path, int share, int shares)
    {
        using SafeFileHandle handle = CsvReader.Open(path);
        var (start, end) = CsvReader.ShareBytes(handle, share, shares);
        if (start == 0)
        {
            start = Math.Min(end, CsvReader.ByteOrderMarkLength(handle));
        }

        long rows = 0;
        bool inRow = false;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            for (long position = start; position < end;)
            {
                int read = RandomAccess.Read(handle, buffer.AsSpan(0, (int)Math.Min(ChunkBytes, end - position)), position);
                if (read == 0)
                {
                    throw new DistalException(FailureKind.Input, $"{path}: file shrank while it was read");
                }

                rows += CountRows(buffer.AsSpan(0, read), ref inRow);
                position += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return rows;
    }

    /// <summary>
    /// Counts the rows that start in <paramref name="text"/>; <paramref name="inRow"/> carries whether the last line so
    /// far has content across calls. Each line costs two vectorized searches, so the count runs near memory speed.
    /// </summary>
    internal static long CountRows(ReadOnlySpan<byte> text, ref bool inRow)
    {
        long rows = 0;
        int i = 0;
        while (i < text.Length)
        {
            if (!inRow)
            {
                int content = text[i..].IndexOfAnyExcept(Blanks);
                if (content < 0)
                {
                    break;
                }

                i += content;
                if (text[i] == (byte)'\n')
                {
                    i++;
                    continue;
                }

                inRow = true;
                rows++;
            }

            int newline = text[i..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                break;
            }

            i += newline + 1;
            inRow = false;
        }

        return rows;
    }

    /// <summary>What a blank line may hold (it is then no row).</summary>
    private static readonly SearchValues<byte> Blanks = SearchValues.Create(" \t\r"u8);

    /// <summary>The byte offset and 1-based line where row <paramref name="row"/> starts; line 0 when there is no such row.</summary>
    private static (long Offset, long Line) Locate(SafeFileHandle handle, string path, long row)
    {
        long length = RandomAccess.GetLength(handle);
        var scan = new RowScanner();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            for (long position = 0; position < length;)
            {
                int read = RandomAccess.Read(handle, buffer.AsSpan(0, (int)Math.Min(ChunkBytes, length - position)), position);
                if (read == 0)
                {
                    throw new DistalException(FailureKind.Input, $"{path}: file shrank while it was read");
                }

                long at = scan.AdvanceToRowStart(buffer.AsSpan(0, read), position, row);
                if (at >= 0)
                {
                    return (at, scan.Line);
                }

                position += read;
            }

            return (length, 0);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Counts rows (non-blank lines) across chunks.</summary>
    private sealed class RowScanner
    {
        private bool _lineHasContent;
        private long _rows;

        private long _lineStart;

        public long Line { get; private set; } = 1;

        /// <summary>
        /// Scans a chunk that starts at file offset <paramref name="chunkStart"/>; returns the file offset where row
        /// <paramref name="row"/>'s line starts, once that line is known to hold content, or −1.
        /// </summary>
        public long AdvanceToRowStart(ReadOnlySpan<byte> chunk, long chunkStart, long row)
        {
            for (int i = 0; i < chunk.Length; i++)
            {
                byte b = chunk[i];
                if (b == (byte)'\n')
                {
                    if (_lineHasContent)
                    {
                        _rows++;
                    }

                    _lineHasContent = false;
                    Line++;
                    _lineStart = chunkStart + i + 1;
                }
                else if (!_lineHasContent && b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
                {
                    _lineHasContent = true;
                    if (_rows == row)
                    {
                        return _lineStart;
                    }
                }
            }

            return -1;
        }
    }
}
