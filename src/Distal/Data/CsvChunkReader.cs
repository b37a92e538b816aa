using System.Buffers;
using System.Numerics;
using System.Runtime.ExceptionServices;
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
        foreach (Table<T> chunk in ReadRange<T>(handle, path, start, end, chunkRows, progress))
        {
            yield return chunk;
        }
    }

    /// <summary>
    /// The share's chunks parsed by up to <paramref name="threads"/> threads at once, for a consumer that does not
    /// need the rows in file order (a streamed reduction). The share is cut into row-aligned byte pieces of at least
    /// <paramref name="minimumBytesPerThread"/>, as an in-memory read cuts it; each piece is streamed like a share,
    /// and in every round each piece's next chunk is parsed on its own thread, then the round's chunks are handed out
    /// in piece order. A chunk is valid until the next round. Memory is one chunk and one read buffer per thread. On
    /// any error the share is parsed again by one thread, so that the error reported is exactly the one-thread error.
    /// </summary>
    /// <remarks>The smallest piece is <paramref name="minimumBytesPerThread"/> (tests use tiny pieces to exercise the rounds).</remarks>
    public static IEnumerable<Table<T>> ReadChunksInPieces<T>(string path, int share, int shares, int chunkRows, int threads, IProgress<long>? progress = null, long minimumBytesPerThread = CsvReader.MinimumBytesPerThread)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(share);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(share, shares);
        using SafeFileHandle handle = CsvReader.Open(path);
        var (start, end) = CsvReader.ShareBytes(handle, share, shares);
        int pieces = (int)Math.Clamp((end - start) / Math.Max(1, minimumBytesPerThread), 1, Math.Max(1, threads));
        var readers = new IEnumerator<Table<T>>[pieces];
        for (int i = 0; i < pieces; i++)
        {
            long from = i == 0 ? start : CsvReader.RowStart(handle, start + ((end - start) * i / pieces));
            long to = i == pieces - 1 ? end : CsvReader.RowStart(handle, start + ((end - start) * (i + 1) / pieces));
            readers[i] = ReadRange<T>(handle, path, from, to, chunkRows, progress).GetEnumerator();
        }

        ExceptionDispatchInfo? failure = null;
        try
        {
            var advanced = new bool[pieces];
            int columns = 0;
            while (failure is null)
            {
                failure = NextRound(readers, advanced);
                bool any = false;
                for (int i = 0; i < pieces && failure is null; i++)
                {
                    int width = advanced[i] ? readers[i].Current.Columns : columns;
                    if (columns != 0 && width != columns)
                    {
                        // Each piece found its width on its own; a one-thread read names the first row that differs.
                        failure = ExceptionDispatchInfo.Capture(new DistalException(FailureKind.Input, $"{path}: rows of {columns} and of {width} fields"));
                    }

                    columns = width;
                    any |= advanced[i];
                }

                if (failure is not null || !any)
                {
                    break;
                }

                for (int i = 0; i < pieces; i++)
                {
                    if (advanced[i])
                    {
                        yield return readers[i].Current;
                    }
                }
            }
        }
        finally
        {
            foreach (IEnumerator<Table<T>> reader in readers)
            {
                reader.Dispose();
            }
        }

        if (failure is not null)
        {
            foreach (Table<T> ignored in ReadRange<T>(handle, path, start, end, chunkRows, null))
            {
                _ = ignored;
            }

            failure.Throw();
        }
    }

    /// <summary>Moves every piece's reader to its next chunk, each on its own thread; the first failure, or null.</summary>
    private static ExceptionDispatchInfo? NextRound<T>(IEnumerator<Table<T>>[] readers, bool[] advanced)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        try
        {
            Parallel.For(0, readers.Length, new ParallelOptions { MaxDegreeOfParallelism = readers.Length }, i => advanced[i] = readers[i].MoveNext());
            return null;
        }
        catch (AggregateException e)
        {
            return ExceptionDispatchInfo.Capture(e.InnerExceptions[0]);
        }
    }

    /// <summary>The rows of the row-aligned byte range [start, end) in chunks of exactly <paramref name="chunkRows"/> rows, the last one smaller.</summary>
    private static IEnumerable<Table<T>> ReadRange<T>(SafeFileHandle handle, string path, long start, long end, int chunkRows, IProgress<long>? progress)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
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
