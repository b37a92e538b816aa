namespace Distal.Parquet;

/// <summary>
/// The file stream Parquet.Net reads column chunks through, bounding its page-header reads. Parquet.Net 6.1 reads each
/// page header straight from this stream with its Thrift reader (File/DataColumnReader.cs), one <see cref="ReadByte"/>
/// at a time, and that reader loops for ever on the −1 of a read past the end of the file. It also seeks to each next
/// page at "end of this header + the header's compressed size", and stops only when the column chunk's values are
/// read: a damaged header with a negative size and no values would send it back to the same header for ever. So a
/// byte read past the end of the file, or a page header that does not start after the previous one of the same column
/// chunk, throws <see cref="IOException"/> instead (Parquet.Net reads only Thrift headers byte by byte; page data
/// goes through <see cref="Read(Span{byte})"/>). Valid files are unaffected: their headers lie inside the file, one
/// after another.
/// </summary>
internal sealed class PageGuardStream(FileStream inner) : Stream
{
    private long _lastHeader = -1;
    private bool _seeked = true;

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => true;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override long Length => inner.Length;

    /// <inheritdoc/>
    public override long Position
    {
        get => inner.Position;
        set
        {
            inner.Position = value;
            _seeked = true;
        }
    }

    /// <summary>Starts a column chunk: its first page header may lie anywhere in the file.</summary>
    public void NewColumnChunk()
    {
        _lastHeader = -1;
        _seeked = true;
    }

    /// <inheritdoc/>
    public override int ReadByte()
    {
        long at = inner.Position;
        if (_seeked)
        {
            // The first byte read after a seek starts a page header (or resumes one after a skipped byte field).
            if (at <= _lastHeader)
            {
                throw new IOException($"a page header at byte {at} does not follow the previous one at byte {_lastHeader} (a damaged page size)");
            }

            _lastHeader = at;
            _seeked = false;
        }

        int b = inner.ReadByte();
        return b >= 0 ? b : throw new IOException($"a page header runs past the end of the file (byte {at})");
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => inner.ReadAsync(buffer, offset, count, cancellationToken);

    /// <inheritdoc/>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        => inner.ReadAsync(buffer, cancellationToken);

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin)
    {
        _seeked = true;
        return inner.Seek(offset, origin);
    }

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
