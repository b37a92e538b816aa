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
    /// Streams the share into <paramref name="consume"/> on up to <paramref name="threads"/> threads at once, for a
    /// consumer that keeps one state per piece (a streamed reduction, merged afterwards). The share is cut into
    /// row-aligned byte pieces of at least <paramref name="minimumBytesPerThread"/>, as an in-memory read cuts it,
    /// and each piece is streamed like a share on its own thread, without waiting for the others:
    /// <c>consume(piece, chunk)</c> is called from that piece's thread only, in the piece's row order, and a chunk is
    /// valid until the call returns. Memory is one chunk and one read buffer per thread. Returns the number of pieces.
    /// On any error, or when the pieces' widths differ, the share is parsed again by one thread, so that the error
    /// reported is exactly the one-thread error.
    /// </summary>
    /// <remarks>Tests use tiny pieces to exercise several of them.</remarks>
    public static int StreamPieces<T>(string path, int share, int shares, int chunkRows, int threads, Action<int, Table<T>> consume, IProgress<long>? progress = null, long minimumBytesPerThread = CsvReader.MinimumBytesPerThread)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(share);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(share, shares);
        using SafeFileHandle handle = CsvReader.Open(path);
        var (start, end) = CsvReader.ShareBytes(handle, share, shares);
        int pieces = (int)Math.Clamp((end - start) / Math.Max(1, minimumBytesPerThread), 1, Math.Max(1, threads));
        long[] bounds = new long[pieces + 1];
        for (int i = 0; i <= pieces; i++)
        {
            bounds[i] = i == 0 ? start : i == pieces ? end : CsvReader.RowStart(handle, start + ((end - start) * i / pieces));
        }

        int[] widths = new int[pieces];
        ExceptionDispatchInfo? failure = null;
        Parallel.For(0, pieces, new ParallelOptions { MaxDegreeOfParallelism = pieces }, i =>
        {
            try
            {
                foreach (Table<T> chunk in ReadRange<T>(handle, path, bounds[i], bounds[i + 1], chunkRows, progress))
                {
                    widths[i] = chunk.Columns;
                    consume(i, chunk);
                }
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
            }
        });

        // Each piece found its width on its own; a one-thread read names the first row that differs.
        int[] found = [.. widths.Where(w => w != 0).Distinct()];
        if (failure is null && found.Length > 1)
        {
            failure = ExceptionDispatchInfo.Capture(new DistalException(FailureKind.Input, $"{path}: rows of {found[0]} and of {found[1]} fields"));
        }

        if (failure is not null)
        {
            foreach (Table<T> ignored in ReadRange<T>(handle, path, start, end, chunkRows, null))
            {
                _ = ignored;
            }

            failure.Throw();
        }

        return pieces;
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
