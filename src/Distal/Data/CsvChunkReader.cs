using System.Buffers;
using System.Numerics;
using Microsoft.Win32.SafeHandles;

namespace Distal.Data;

/// <summary>
/// Streams a share of a CSV file as chunks of rows for out-of-core computations: one pooled read buffer and one value
/// buffer sized for a chunk, both reused, so memory stays at one chunk whatever the file's size. The share is the same
/// byte range <see cref="CsvReader.ReadShare{T}(string, int, int, int, IProgress{long})"/> reads, and errors name the same file line.
/// </summary>
internal static class CsvChunkReader
{
    /// <summary>Chunks of exactly <paramref name="chunkRows"/> rows, the last one smaller.</summary>
    public static IEnumerable<Table<T>> ReadChunks<T>(string path, int share, int shares, int chunkRows, IProgress<long>? progress = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(share);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(share, shares);
        using SafeFileHandle handle = CsvReader.Open(path);
        var (start, end) = CsvReader.ShareBytes(handle, share, shares);
        if (start == 0)
        {
            start = Math.Min(end, CsvReader.ByteOrderMarkLength(handle));
        }

        long first = start;
        var parser = new CsvTextParser<T>(path, () => CsvReader.CountLines(handle, first), 1024);
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(end - start, 1, CsvReader.ChunkBytes));
        try
        {
            long position = start;
            int carried = 0;
            while (position < end)
            {
                int read = CsvReader.ReadMore(handle, path, ref buffer, carried, position, end);
                position += read;
                progress?.Report(read);
                int filled = carried + read;
                int complete = position == end ? filled : buffer.AsSpan(0, filled).LastIndexOf((byte)'\n') + 1;
                for (int parsed = 0; parsed < complete;)
                {
                    parsed += parser.ParseLines(buffer.AsSpan(parsed, complete - parsed), chunkRows);
                    if (parser.Rows == chunkRows)
                    {
                        yield return parser.Chunk();
                        parser.StartChunk();
                    }
                }

                carried = filled - complete;
                buffer.AsSpan(complete, carried).CopyTo(buffer);
            }

            if (parser.Rows > 0)
            {
                yield return parser.Chunk();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
