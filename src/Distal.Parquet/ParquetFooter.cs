using System.Buffers.Binary;

namespace Distal.Parquet;

/// <summary>
/// Checks that a Parquet file's footer (the Thrift compact-protocol FileMetaData between the data and the trailing
/// length and "PAR1") is one Parquet.Net can finish reading, before Parquet.Net parses it. Parquet.Net 6.1's Thrift
/// reader takes the −1 of a read past the end of the footer as the byte 0xFF, whose continuation bit never ends a
/// varint: a damaged footer made it loop for ever (found by the fuzz tests, tests/Distal.Tests/Fuzz). A generic walk
/// by wire type is not enough, because Parquet.Net reads known fields by their schema type (parquet input 665 and
/// 1918: a flipped type nibble); <see cref="ThriftCheck"/> follows Parquet.Net's own reads field by field.
/// </summary>
internal static class ParquetFooter
{
    /// <summary>Throws a one-line input error when the file's footer is not a complete Thrift struct.</summary>
    public static void Check(string path, FileStream stream)
    {
        long length = stream.Length;
        Span<byte> tail = stackalloc byte[8];
        Span<byte> head = stackalloc byte[4];
        if (length < 12 || RandomAccess.Read(stream.SafeFileHandle, head, 0) != 4 || RandomAccess.Read(stream.SafeFileHandle, tail, length - 8) != 8
            || !head.SequenceEqual("PAR1"u8) || !tail[4..].SequenceEqual("PAR1"u8))
        {
            throw Damaged(path, "no PAR1 magic at both ends (not Parquet, or truncated)");
        }

        long footerLength = BinaryPrimitives.ReadInt32LittleEndian(tail);
        if (footerLength <= 0 || footerLength > length - 12)
        {
            throw Damaged(path, $"the footer length {footerLength} does not fit in the file of {length} bytes");
        }

        byte[] footer = new byte[footerLength];
        if (RandomAccess.Read(stream.SafeFileHandle, footer, length - 8 - footerLength) != footerLength)
        {
            throw Damaged(path, "the footer could not be read");
        }

        try
        {
            ThriftCheck.Struct(footer, ParquetThriftSchema.FileMetaData);
        }
        catch (ThriftDamageException e)
        {
            throw Damaged(path, $"the footer metadata is damaged: {e.Message}");
        }
    }

    private static DistalException Damaged(string path, string cause)
        => new(FailureKind.Input, $"{path}: cannot read as Parquet: {cause}");
}
