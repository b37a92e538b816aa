namespace Distal.Parquet;

/// <summary>
/// The file stream Parquet.Net reads column chunks through, checking each page header before Parquet.Net reads it.
/// Parquet.Net 6.1 reads page headers straight from the file with the same Thrift reader as the footer
/// (File/DataColumnReader.cs), one <see cref="ReadByte"/> at a time, so the same damage loops it: a read past the end
/// of the file, or a known field whose wire type was changed. The first byte read after a seek starts a page header
/// (Parquet.Net seeks to every page): this stream first runs <see cref="ThriftCheck"/> over the bytes there, with
/// <see cref="ParquetThriftSchema.PageHeader"/>, and a damaged header throws <see cref="IOException"/>. A byte read
/// past the end of the file throws too. Only the Thrift reader reads single bytes (page data goes through
/// <see cref="Read(Span{byte})"/>), so page data is not touched, and a valid file costs one small extra read per page.
/// A header cannot send the reader backwards for ever: the next page is at "end of this header + its compressed
/// size", and Parquet.Net 6.1 fails on a negative size before moving on. A compressed size beyond the end of the file
/// is refused here, before Parquet.Net allocates a buffer of that size (up to 2 GB from one damaged varint).
/// </summary>
internal sealed class PageGuardStream(FileStream inner) : Stream
{
    // Bytes read ahead to check a header: Distal reads numeric columns, whose headers (with statistics) take well
    // under this; a longer header is checked with a window grown up to MaxHeader.
    private const int Window = 4096;
    private const int MaxHeader = 16 << 20;

    // parquet.thrift: PageHeader.compressed_page_size.
    private const int CompressedPageSize = 3;

    private bool _seeked = true;
    private long _checkedFrom = -1;
    private long _checkedTo = -1;

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

    /// <inheritdoc/>
    public override int ReadByte()
    {
        long at = inner.Position;
        if (_seeked)
        {
            _seeked = false;

            // Parquet.Net also seeks over a one-byte field inside a header it is reading: that header is checked.
            if (at <= _checkedFrom || at >= _checkedTo)
            {
                CheckHeader(at);
            }
        }

        // After a passed check a header ends inside the file; this only keeps a read past the end from ever looping.
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

    /// <summary>Throws unless the bytes at <paramref name="at"/> hold a page header Parquet.Net reads within the file.</summary>
    private void CheckHeader(long at)
    {
        long left = inner.Length - at;
        int window = (int)Math.Min(Window, Math.Max(left, 0));
        while (true)
        {
            byte[] bytes = new byte[window];
            int read = RandomAccess.Read(inner.SafeFileHandle, bytes, at);
            try
            {
                // PageHeader's field 3 is the page's compressed size: the bytes Parquet.Net allocates and reads next.
                Span<long> sizes = [-1, -1, -1, -1];
                int length = ThriftCheck.Struct(bytes.AsSpan(0, read), ParquetThriftSchema.PageHeader, sizes);
                if (sizes[CompressedPageSize] > left - length)
                {
                    throw new IOException($"the page at byte {at} claims {sizes[CompressedPageSize]} bytes, but the file has {left - length} left");
                }

                _checkedTo = at + length;
                _checkedFrom = at;
                return;
            }
            catch (ThriftDamageException e) when (e.PastEnd && read == window && window < left && window < MaxHeader)
            {
                window = (int)Math.Min(Math.Min(2L * window, left), MaxHeader);
            }
            catch (ThriftDamageException e)
            {
                throw new IOException($"the page header at byte {at} is damaged: {e.Message}");
            }
        }
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
