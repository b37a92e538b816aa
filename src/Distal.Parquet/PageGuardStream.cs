namespace Distal.Parquet;

/// <summary>
/// The file stream Parquet.Net reads column chunks through, bounding its page-header reads. Parquet.Net 6.1 reads each
/// page header straight from the file with its Thrift reader (File/DataColumnReader.cs), one <see cref="ReadByte"/> at
/// a time, and that reader loops for ever on the −1 of a read past the end: a page offset or page size damaged to
/// point near the end of the file hung it. Here a byte read past the end throws <see cref="IOException"/> instead.
/// Only the Thrift reader reads single bytes (page data goes through <see cref="Read(Span{byte})"/>, which still
/// returns 0 at the end), so valid files are unaffected. A header cannot send the reader backwards: the next page is
/// at "end of this header + its compressed size", and Parquet.Net 6.1 fails on a negative size before it moves on.
/// </summary>
internal sealed class PageGuardStream(FileStream inner) : Stream
{
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
        set => inner.Position = value;
    }

    /// <inheritdoc/>
    public override int ReadByte()
    {
        long at = inner.Position;
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
    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
