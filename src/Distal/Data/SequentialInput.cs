using System.Buffers;
using System.Numerics;
using Distal.Communication;
using Microsoft.Win32.SafeHandles;

namespace Distal.Data;

/// <summary>
/// Input that can only be read front to back: standard input (<c>-</c> or <c>/dev/stdin</c>), a pipe, a FIFO or a
/// process substitution (<c>&lt;(zcat f.csv.gz)</c>). CSV read whole is parsed as it streams in, chunk by chunk, like a
/// file. Split across ranks, rank 0 alone opens and reads it and sends each rank its rows: a pipe has one reader,
/// and under MPI only rank 0 gets the launcher's standard input. Formats read by offsets (.npy, CSR) and chunked
/// out-of-core reading need a regular file: they say so.
/// </summary>
internal static class SequentialInput
{
    private const int Tag = 0x51DE;

    /// <summary>The file a path names: <c>-</c> is standard input.</summary>
    public static string Resolve(string path) => path == "-" ? "/dev/stdin" : path;

    /// <summary>Whether <paramref name="handle"/> has offsets (a regular file or a block device).</summary>
    public static bool CanSeek(SafeFileHandle handle)
    {
        try
        {
            _ = RandomAccess.GetLength(handle);
            return true;
        }
        catch (NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>
    /// <paramref name="path"/> opened, when it is a pipe; null for a file with offsets, or one that does not open (its
    /// reader reports that). The caller reads this very handle: opening a named FIFO again after closing it would
    /// leave its writer without a reader.
    /// </summary>
    public static SafeFileHandle? OpenPipe(string path)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(Resolve(path), FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        if (CanSeek(handle))
        {
            handle.Dispose();
            return null;
        }

        return handle;
    }

    /// <summary>Parses the CSV text of a non-seekable <paramref name="handle"/> to its end, as it arrives.</summary>
    public static Table<T> ReadCsv<T>(SafeFileHandle handle, string path, IProgress<long>? progress)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        var parser = new CsvTextParser<T>(path, () => 1, CsvReader.EstimateValues(CsvReader.ChunkBytes));
        byte[] buffer = ArrayPool<byte>.Shared.Rent(CsvReader.ChunkBytes);
        try
        {
            int carried = 0;
            bool first = true;
            while (true)
            {
                if (carried == buffer.Length)
                {
                    // A line longer than the buffer: grow it.
                    byte[] larger = ArrayPool<byte>.Shared.Rent(checked(buffer.Length * 2));
                    buffer.AsSpan(0, carried).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read = ReadSome(stream, path, buffer.AsSpan(carried));
                int filled = carried + read;
                int skip = 0;
                if (first && (filled >= 3 || read == 0))
                {
                    first = false;
                    skip = buffer.AsSpan(0, filled).StartsWith("\uFEFF"u8) ? 3 : 0;
                }
                else if (first)
                {
                    carried = filled;  // too few bytes yet to tell a byte order mark
                    continue;
                }

                int complete = read == 0 ? filled : buffer.AsSpan(0, filled).LastIndexOf((byte)'\n') + 1;
                if (complete > skip)
                {
                    parser.ParseLines(buffer.AsSpan(skip, complete - skip));
                }

                progress?.Report(read);
                if (read == 0)
                {
                    return parser.ToTable();
                }

                carried = filled - Math.Max(complete, skip);
                buffer.AsSpan(filled - carried, carried).CopyTo(buffer);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// One input split by rows across the ranks when it cannot be split by byte ranges: rank 0 reads it whole and
    /// sends rank r rows [r·n/P, (r+1)·n/P). Collective; a failure on rank 0 is every rank's error. Returns null on
    /// every rank when <paramref name="path"/> is not a pipe (read it by byte ranges).
    /// </summary>
    public static Table<T>? ReadOnRankZero<T>(Communicator communicator, string path, TableFormat? format, IReadOnlyList<string>? columns, IProgress<long>? progress)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int rank = communicator.Rank;
        int size = communicator.Size;
        SafeFileHandle? pipe = null;
        try
        {
            communicator.Collectively(() => pipe = rank == 0 ? OpenPipe(path) : null);
            if (communicator.Allreduce(pipe is null ? 0 : 1, ReduceOperation.Max) == 0)
            {
                return null;
            }

            var whole = communicator.Collectively(() => rank == 0 ? ReadPipe<T>(pipe!, path, format, columns, progress) : null);
            Span<long> shape = [whole?.Rows ?? 0, whole?.Columns ?? 0];
            communicator.Broadcast(shape, 0);
            long rows = shape[0];
            int columnCount = (int)shape[1];
            int First(int r) => (int)(rows * r / size);
            if (rank == 0)
            {
                for (int r = 1; r < size; r++)
                {
                    communicator.Send<T>(whole!.SliceRows(First(r), First(r + 1) - First(r)).Span, r, Tag);
                }

                // A copy, so that the whole table can go.
                return Table.FromArray(whole!.SliceRows(0, First(1)).Span.ToArray(), First(1), columnCount);
            }

            T[] mine = communicator.Receive<T>(0, Tag);
            return columnCount == 0 ? Table<T>.Empty(0) : Table.FromArray(mine, mine.Length / columnCount, columnCount);
        }
        finally
        {
            pipe?.Dispose();
        }
    }

    /// <summary>A pipe's table: CSV only, since every other format is read by offsets.</summary>
    private static Table<T> ReadPipe<T>(SafeFileHandle pipe, string path, TableFormat? format, IReadOnlyList<string>? columns, IProgress<long>? progress)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var actual = format ?? DataFile.FormatOf(path);
        if (actual is not CsvFormat)
        {
            throw new DistalException(FailureKind.Input, $"{path}: not a regular file (a pipe or a terminal?): only CSV read whole can come from a pipe; {actual.Name} input needs a file it can seek in");
        }

        CsvFormat.RejectColumnNames(actual, path, new TableReadOptions { Columns = columns });
        return ReadCsv<T>(pipe, path, progress);
    }

    private static int ReadSome(FileStream stream, string path, Span<byte> destination)
    {
        try
        {
            return stream.Read(destination);
        }
        catch (IOException e)
        {
            throw new DistalException(FailureKind.Input, $"{path}: {e.Message}");
        }
    }
}
