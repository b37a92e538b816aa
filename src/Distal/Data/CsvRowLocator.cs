using System.Buffers;
using System.Numerics;
using Microsoft.Win32.SafeHandles;

namespace Distal.Data;

/// <summary>
/// Finds rows of a headerless CSV file by their index (a row is a line holding anything but blanks, as the CSV
/// reader counts them): the file line of a row, to name it in an error, and a range of rows, so that a labels file
/// can be read for exactly the rows another file's share holds. One forward scan of the bytes up to the rows.
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

    /// <summary>Rows [<paramref name="firstRow"/>, firstRow + count) of the file; fewer when the file ends first.</summary>
    public static Table<T> ReadRows<T>(string path, long firstRow, long count)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        using SafeFileHandle handle = CsvReader.Open(path);
        var (start, line) = Locate(handle, path, firstRow);
        if (line == 0 || count == 0)
        {
            return Table<T>.Empty(0);
        }

        // From the first row's line, count rows again to find the end of the range.
        long length = RandomAccess.GetLength(handle);
        long end = length;
        var scan = new RowScanner();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            for (long position = start; position < length;)
            {
                int read = RandomAccess.Read(handle, buffer.AsSpan(0, (int)Math.Min(ChunkBytes, length - position)), position);
                int at = scan.Advance(buffer.AsSpan(0, read), count);
                if (at >= 0)
                {
                    end = position + at;
                    break;
                }

                position += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        byte[] text = new byte[end - start];
        RandomAccess.Read(handle, text, start);
        long firstLine = line;
        return CsvReader.Parse<T>(text, path, () => firstLine);
    }

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

        /// <summary>Scans from a row's start; returns the offset just past the line that ends the count-th row, or −1.</summary>
        public int Advance(ReadOnlySpan<byte> chunk, long count)
        {
            for (int i = 0; i < chunk.Length; i++)
            {
                byte b = chunk[i];
                if (b == (byte)'\n')
                {
                    if (_lineHasContent && ++_rows == count)
                    {
                        return i + 1;
                    }

                    _lineHasContent = false;
                }
                else if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
                {
                    _lineHasContent = true;
                }
            }

            return -1;
        }
    }
}
