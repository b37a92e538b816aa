using System.Buffers;
using System.Numerics;
using Microsoft.Win32.SafeHandles;

namespace Distal.Data;

/// <summary>
/// Reads headerless numeric CSV (daal4py's file input). Accepts a trailing comma, CRLF, blank lines, scientific
/// notation, a leading '+' and spaces around fields; anything else raises a <see cref="DataFormatException"/>
/// naming file, line and column. Values are correctly rounded (bit-equal to <see cref="double.Parse(string)"/>,
/// or <see cref="float.Parse(string)"/> for float tables).
/// </summary>
/// <remarks>
/// The file is read in chunks into one reused buffer and parsed as it arrives, so memory use is the table plus the
/// buffer and no byte is touched twice. A large share can be parsed by several threads, each on its own row-aligned
/// piece.
/// </remarks>
internal static class CsvReader
{
    /// <summary>The read size; large enough that system calls do not show, small enough to stay in cache.</summary>
    internal const int ChunkBytes = 1 << 20;

    /// <summary>Below this many bytes per thread, another thread costs more than it saves.</summary>
    internal const long MinimumBytesPerThread = 8L << 20;

    /// <summary>Reads the whole file.</summary>
    public static Table<T> Read<T>(string path, int threads = 1)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => ReadShare<T>(path, 0, 1, threads);

    /// <summary>
    /// Reads share <paramref name="share"/> of <paramref name="shares"/>: the rows whose first byte lies in the
    /// share's byte range [share·L/shares, (share+1)·L/shares). Every row belongs to exactly one share, and a rank
    /// reads only a little more than its own bytes. A share may be empty; its table then has 0 columns.
    /// Line numbers in errors count from the start of the file.
    /// </summary>
    public static Table<T> ReadShare<T>(string path, int share, int shares, int threads = 1, IProgress<long>? progress = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => ReadShare<T>(path, share, shares, threads, MinimumBytesPerThread, progress);

    /// <summary>As above, with the smallest piece a thread is given (tests use tiny pieces to exercise the joins).</summary>
    internal static Table<T> ReadShare<T>(string path, int share, int shares, int threads, long minimumBytesPerThread, IProgress<long>? progress = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(share);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(share, shares);
        using SafeFileHandle handle = Open(path, sequential: true);
        if (!SequentialInput.CanSeek(handle))
        {
            return shares == 1 ? SequentialInput.ReadCsv<T>(handle, path, progress)
                : throw new DistalException(FailureKind.Usage, $"{path}: a pipe cannot be split into {shares} shares by byte ranges; read it whole (Distal's collective reads do so on rank 0 and send each rank its rows)");
        }

        var (start, end) = ShareBytes(handle, share, shares);
        int pieces = (int)Math.Clamp((end - start) / Math.Max(1, minimumBytesPerThread), 1, Math.Max(1, threads));
        return pieces == 1 ? ReadRange<T>(handle, path, start, end, progress).ToTable() : ReadInPieces<T>(handle, path, start, end, pieces, progress);
    }

    /// <summary>Parses CSV text; <paramref name="firstLine"/> gives the 1-based file line of its first byte when an error must be reported.</summary>
    internal static Table<T> Parse<T>(ReadOnlySpan<byte> text, string path, Func<long> firstLine)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        text = text[(text.StartsWith(ByteOrderMark) ? ByteOrderMark.Length : 0)..];
        var parser = new CsvTextParser<T>(path, firstLine, EstimateValues(Math.Min(text.Length, ChunkBytes)));
        int head = text.Length <= ChunkBytes ? text.Length : text[..ChunkBytes].LastIndexOf((byte)'\n') + 1;
        parser.ParseLines(text[..head]);
        parser.ReserveFor(head, text.Length);
        parser.ParseLines(text[head..]);
        return parser.ToTable();
    }

    /// <summary>
    /// Opens <paramref name="path"/> (<c>-</c> is standard input) for reading by offsets; with
    /// <paramref name="sequential"/>, a pipe is returned too (see <see cref="SequentialInput"/>).
    /// </summary>
    internal static SafeFileHandle Open(string path, bool sequential = false)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(SequentialInput.Resolve(path), FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DistalException(FailureKind.Input, $"{path}: file not found");
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new DistalException(FailureKind.Input, $"{path}: {e.Message}");
        }

        try
        {
            // Shares of a file are byte ranges read at offsets; a pipe, a terminal or <(zcat f.gz) has none.
            _ = RandomAccess.GetLength(handle);
            return handle;
        }
        catch (NotSupportedException) when (sequential)
        {
            return handle;
        }
        catch (NotSupportedException)
        {
            handle.Dispose();
            throw new DistalException(FailureKind.Input, $"{path}: not a regular file (a pipe or a terminal?): only CSV read whole can come from a pipe; .npy, CSR and --chunk-rows reading need a file they can seek in");
        }
    }

    /// <summary>
    /// Parses the rows in [start, end), which are row-aligned, chunk by chunk through one pooled buffer, into
    /// <paramref name="window"/> (a piece of a multi-threaded read) or else into a value buffer of its own, sized for
    /// the range from the value density of the first chunk.
    /// </summary>
    private static CsvTextParser<T> ReadRange<T>(SafeFileHandle handle, string path, long start, long end, IProgress<long>? progress, ValueBuffer<T>? window = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        long rangeBytes = end - start;
        if (start == 0)
        {
            start = Math.Min(end, ByteOrderMarkLength(handle));
        }

        long first = start;
        var parser = window is null
            ? new CsvTextParser<T>(path, () => CountLines(handle, first), EstimateValues(Math.Min(end - start, ChunkBytes)))
            : new CsvTextParser<T>(path, () => CountLines(handle, first), window);
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(end - start, 1, ChunkBytes));
        try
        {
            long position = start;
            int carried = 0;
            bool estimated = window is not null;
            while (position < end)
            {
                int read = ReadMore(handle, path, ref buffer, carried, position, end);
                position += read;
                int filled = carried + read;
                int complete = position == end ? filled : buffer.AsSpan(0, filled).LastIndexOf((byte)'\n') + 1;
                parser.ParseLines(buffer.AsSpan(0, complete));
                progress?.Report(read);
                carried = filled - complete;
                buffer.AsSpan(complete, carried).CopyTo(buffer);
                if (!estimated && complete > 0 && position < end)
                {
                    // After the first chunk the value count of the whole range is estimated from its density.
                    estimated = true;
                    parser.ReserveFor(position - carried - start, rangeBytes);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return parser;
    }

    /// <summary>
    /// Reads the next bytes of [position, end) after the <paramref name="carried"/> bytes of an unfinished line at the
    /// start of <paramref name="buffer"/>; a line longer than the buffer makes it grow (pooled).
    /// </summary>
    internal static int ReadMore(SafeFileHandle handle, string path, ref byte[] buffer, int carried, long position, long end)
    {
        if (carried == buffer.Length)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(checked(buffer.Length * 2));
            buffer.AsSpan(0, carried).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = larger;
        }

        int read = RandomAccess.Read(handle, buffer.AsSpan(carried, (int)Math.Min(buffer.Length - carried, end - position)), position);
        return read > 0 ? read : throw new DistalException(FailureKind.Input, $"{path}: file shrank while it was read");
    }

    /// <summary>
    /// Parses [start, end) as <paramref name="pieces"/> row-aligned pieces on as many threads, each writing straight
    /// into its own range of one table, then closes the gaps between the ranges. On any error the range is parsed
    /// again in one piece, so the error reported is exactly the one-thread error.
    /// </summary>
    /// <remarks>
    /// The ranges are sized from the value density of the share's first bytes (+2 % and a margin). Fresh memory is
    /// slow to touch on these VMs, so the table is the only large allocation: each page of it is first touched by the
    /// parser writing its values, and closing a gap moves values within pages already touched. A piece that outgrows
    /// its range continues in an array of its own, and the pieces are then copied into a new table.
    /// </remarks>
    private static Table<T> ReadInPieces<T>(SafeFileHandle handle, string path, long start, long end, int pieces, IProgress<long>? progress)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        long[] bounds = new long[pieces + 1];
        for (int i = 0; i <= pieces; i++)
        {
            bounds[i] = i == 0 ? start : i == pieces ? end : RowStart(handle, start + ((end - start) * i / pieces));
        }

        double valuesPerByte = SampleDensity(handle, start, end);
        int[] offsets = new int[pieces + 1];
        for (int i = 0; i < pieces; i++)
        {
            long capacity = (long)(valuesPerByte * (bounds[i + 1] - bounds[i]) * 1.02) + WindowMargin;
            offsets[i + 1] = (int)Math.Min(Array.MaxLength, offsets[i] + capacity);
        }

        T[] table = ValueBuffer<T>.Allocate(offsets[pieces]);
        var parsers = new CsvTextParser<T>?[pieces];
        bool failed = false;
        Parallel.For(0, pieces, new ParallelOptions { MaxDegreeOfParallelism = pieces }, i =>
        {
            try
            {
                var window = new ValueBuffer<T>(table, offsets[i], offsets[i + 1] - offsets[i]);
                parsers[i] = ReadRange(handle, path, bounds[i], bounds[i + 1], progress, window);
            }
            catch (DistalException)
            {
                // Reported below by the one-piece parse, which names the first failing line.
                Volatile.Write(ref failed, true);
            }
        });

        int columns = 0;
        long total = 0;
        bool inPlace = true;
        for (int i = 0; i < pieces && !failed; i++)
        {
            CsvTextParser<T>? parser = parsers[i];
            if (parser is null || (parser.Columns != 0 && columns != 0 && parser.Columns != columns))
            {
                failed = true;
                break;
            }

            columns = Math.Max(columns, parser.Columns);
            total += parser.Values.Count;
            inPlace &= parser.Values.IsWindowOf(table, offsets[i]);
        }

        if (failed)
        {
            return ReadRange<T>(handle, path, start, end, null).ToTable();
        }

        if (columns == 0)
        {
            return Table<T>.Empty(0);
        }

        // Close the gaps in order: piece i moves down to where piece i−1 ended (an overlapping move is safe), or, if
        // a piece outgrew its range, every piece is copied into a new table.
        T[] joined = inPlace ? table : ValueBuffer<T>.Allocate(checked((int)total));
        int written = 0;
        for (int i = 0; i < pieces; i++)
        {
            Memory<T> part = parsers[i]!.Values.View;
            if (!inPlace || offsets[i] != written)
            {
                part.Span.CopyTo(joined.AsSpan(written));
            }

            written += part.Length;
        }

        return new Table<T>(joined.AsMemory(0, written), written / columns, columns);
    }

    /// <summary>
    /// Values beyond the density estimate that each piece's range holds: the careful line parser reserves room for
    /// half a line's bytes, so a range must not fill up at its last long line.
    /// </summary>
    private const int WindowMargin = 1 << 14;

    /// <summary>
    /// An upper estimate of values per byte from the separators in the first 64 KiB of [start, end): every value ends
    /// at a ',' or a line end (a trailing comma or a blank line only raises the estimate).
    /// </summary>
    private static double SampleDensity(SafeFileHandle handle, long start, long end)
    {
        byte[] sample = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            int read = RandomAccess.Read(handle, sample.AsSpan(0, (int)Math.Min(1 << 16, end - start)), start);
            ReadOnlySpan<byte> text = sample.AsSpan(0, read);
            return read == 0 ? 0 : (text.Count((byte)',') + text.Count((byte)'\n') + 1) / (double)read;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(sample);
        }
    }

    /// <summary>Spreadsheet programs start UTF-8 CSV with a byte order mark; it is not part of the first field.</summary>
    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    internal static int ByteOrderMarkLength(SafeFileHandle handle)
    {
        Span<byte> head = stackalloc byte[3];
        int read = RandomAccess.Read(handle, head, 0);
        return head[..read].SequenceEqual(ByteOrderMark) ? ByteOrderMark.Length : 0;
    }

    internal static int EstimateValues(long bytes) => (int)Math.Min(bytes / 4, Array.MaxLength) + 16;

    /// <summary>Share <paramref name="share"/> of <paramref name="shares"/>: the lines starting in its equal byte range.</summary>
    internal static (long Start, long End) ShareBytes(SafeFileHandle handle, int share, int shares)
    {
        long length = RandomAccess.GetLength(handle);
        return (RowStart(handle, length * share / shares), RowStart(handle, length * (share + 1) / shares));
    }

    /// <summary>The offset of the first row starting at or after <paramref name="offset"/>.</summary>
    internal static long RowStart(SafeFileHandle handle, long offset)
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

    /// <summary>The 1-based line number of the byte at <paramref name="offset"/>; only needed to report an error.</summary>
    internal static long CountLines(SafeFileHandle handle, long offset)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            long lines = 1;
            for (long position = 0; position < offset;)
            {
                int read = RandomAccess.Read(handle, buffer.AsSpan(0, (int)Math.Min(ChunkBytes, offset - position)), position);
                if (read == 0)
                {
                    break;
                }

                lines += buffer.AsSpan(0, read).Count((byte)'\n');
                position += read;
            }

            return lines;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
