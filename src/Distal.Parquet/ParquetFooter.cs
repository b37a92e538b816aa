using System.Buffers.Binary;

namespace Distal.Parquet;

/// <summary>
/// Checks that a Parquet file's footer (the Thrift compact-protocol FileMetaData between the data and the trailing
/// length and "PAR1") is well formed before Parquet.Net parses it. Parquet.Net 6.1's Thrift reader takes the −1 of a
/// read past the end of the footer as the byte 0xFF, whose continuation bit never ends a varint: a damaged footer
/// made it loop forever (found by the fuzz tests, tests/Distal.Tests/Fuzz). This walk reads every field generically
/// and fails on anything that would run past the end, so the library only ever sees footers it can finish.
/// </summary>
internal static class ParquetFooter
{
    private const int MaxDepth = 64;

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

        int position = 0;
        if (!TrySkipStruct(footer, ref position, 0))
        {
            throw Damaged(path, "the footer metadata is damaged");
        }
    }

    private static DistalException Damaged(string path, string cause)
        => new(FailureKind.Input, $"{path}: cannot read as Parquet: {cause}");

    private static bool TrySkipStruct(ReadOnlySpan<byte> data, ref int position, int depth)
    {
        if (depth > MaxDepth)
        {
            return false;
        }

        while (true)
        {
            if (position >= data.Length)
            {
                return false;
            }

            byte header = data[position++];
            int type = header & 0x0F;
            if (type == 0)
            {
                return true;
            }

            // A zero delta means the field id follows as a zigzag varint.
            if ((header >> 4) == 0 && !TrySkipVarint(data, ref position))
            {
                return false;
            }

            if (!TrySkipValue(data, ref position, type, depth, inList: false))
            {
                return false;
            }
        }
    }

    private static bool TrySkipValue(ReadOnlySpan<byte> data, ref int position, int type, int depth, bool inList)
    {
        switch (type)
        {
            case 1:
            case 2:
                // A boolean field carries its value in the type; a boolean list element is one byte.
                return !inList || TrySkipBytes(data, ref position, 1);
            case 3:
                return TrySkipBytes(data, ref position, 1);
            case 4:
            case 5:
            case 6:
                return TrySkipVarint(data, ref position);
            case 7:
                return TrySkipBytes(data, ref position, 8);
            case 8:
                return TryReadVarint(data, ref position, out ulong size) && size <= int.MaxValue && TrySkipBytes(data, ref position, (int)size);
            case 9:
            case 10:
                if (position >= data.Length)
                {
                    return false;
                }

                byte list = data[position++];
                ulong count = (ulong)(list >> 4);
                if (count == 15 && !TryReadVarint(data, ref position, out count))
                {
                    return false;
                }

                // Every element takes at least one byte, so a count beyond the bytes left is damage.
                if (count > (ulong)(data.Length - position))
                {
                    return false;
                }

                for (ulong i = 0; i < count; i++)
                {
                    if (!TrySkipValue(data, ref position, list & 0x0F, depth + 1, inList: true))
                    {
                        return false;
                    }
                }

                return true;
            case 11:
                if (!TryReadVarint(data, ref position, out ulong entries) || entries > (ulong)(data.Length - position))
                {
                    return false;
                }

                if (entries == 0)
                {
                    return true;
                }

                if (position >= data.Length)
                {
                    return false;
                }

                byte kinds = data[position++];
                for (ulong i = 0; i < entries; i++)
                {
                    if (!TrySkipValue(data, ref position, kinds >> 4, depth + 1, inList: true) || !TrySkipValue(data, ref position, kinds & 0x0F, depth + 1, inList: true))
                    {
                        return false;
                    }
                }

                return true;
            case 12:
                return TrySkipStruct(data, ref position, depth + 1);
            default:
                return false;
        }
    }

    private static bool TrySkipBytes(ReadOnlySpan<byte> data, ref int position, int count)
    {
        if (count > data.Length - position)
        {
            return false;
        }

        position += count;
        return true;
    }

    private static bool TrySkipVarint(ReadOnlySpan<byte> data, ref int position) => TryReadVarint(data, ref position, out _);

    private static bool TryReadVarint(ReadOnlySpan<byte> data, ref int position, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (position >= data.Length)
            {
                return false;
            }

            byte b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }

        return false;
    }
}
