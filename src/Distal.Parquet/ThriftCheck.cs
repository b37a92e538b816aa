namespace Distal.Parquet;

/// <summary>
/// Follows, over a byte span, exactly the reads Parquet.Net 6.1's Thrift compact reader makes for one struct of
/// <see cref="ParquetThriftSchema"/>, and fails where that reader would not finish. Parquet.Net's reader
/// (Meta/Proto/ThriftCompactProtocolReader.cs) casts the −1 of a read past the end of its stream to the byte 0xFF,
/// whose varint continuation bit never ends and whose field header is never a stop: once it reads past the end it
/// loops for ever. It also reads a known field by the kind the schema says, whatever its wire type, and skips an
/// unknown struct by reading field headers only (their values are taken as more headers). So this check walks the
/// same bytes by the same rules — known field ids by their schema kind, unknown ones by Parquet.Net's skip — and
/// insists that every known field carries the wire type its kind is written with, that every read stays inside the
/// span, and that lengths and counts fit in the bytes left. A span it accepts is read by Parquet.Net to its end
/// marker without leaving the span, in at most one step per byte.
/// </summary>
internal ref struct ThriftCheck
{
    // Deeper than any struct of parquet.thrift (FileMetaData → RowGroup → ColumnChunk → ColumnMetaData → Statistics is
    // five); only nested lists of unknown fields go deeper, and Parquet.Net skips those by recursion.
    private const int MaxDepth = 32;

    private readonly ReadOnlySpan<byte> _data;
    private readonly Span<long> _rootIntegers;
    private int _position;

    private ThriftCheck(ReadOnlySpan<byte> data, Span<long> rootIntegers)
    {
        _data = data;
        _rootIntegers = rootIntegers;
    }

    /// <summary>
    /// Checks that <paramref name="data"/> starts with a <paramref name="root"/> struct Parquet.Net reads within it;
    /// returns the number of bytes it takes, or throws <see cref="ThriftDamageException"/> saying what is damaged.
    /// </summary>
    public static int Struct(ReadOnlySpan<byte> data, ThriftStruct root) => Struct(data, root, []);

    /// <summary>
    /// As <see cref="Struct(ReadOnlySpan{byte}, ThriftStruct)"/>, and stores the value of each of the root struct's I32
    /// fields with an id below <paramref name="rootIntegers"/>' length at that index (fields not present keep their value).
    /// </summary>
    public static int Struct(ReadOnlySpan<byte> data, ThriftStruct root, Span<long> rootIntegers)
    {
        var check = new ThriftCheck(data, rootIntegers);
        check.ReadStruct(root, 0);
        return check._position;
    }

    private void ReadStruct(ThriftStruct type, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ThriftDamageException($"structs nested deeper than {MaxDepth}");
        }

        short lastId = 0;
        while (true)
        {
            int at = _position;
            byte header = NextByte();
            if (header == 0)
            {
                return;
            }

            int wire = header & 0x0F;
            int delta = header >> 4;
            short id = delta == 0 ? (short)Zigzag(Varint(5)) : (short)(lastId + delta);
            lastId = id;
            if (!type.TryGet(id, out ThriftField field))
            {
                Skip(wire, depth + 1);
                continue;
            }

            if (!Carries(wire, field.Kind))
            {
                throw new ThriftDamageException($"field {id} of {type.Name} at byte {at} has wire type {wire}, not {field.Kind}");
            }

            if (field.Kind == ThriftKind.List)
            {
                ReadList(field, id, type, depth + 1);
            }
            else if (depth == 0 && field.Kind == ThriftKind.I32 && id >= 0 && id < _rootIntegers.Length)
            {
                _rootIntegers[id] = Zigzag(Varint(5));
            }
            else
            {
                ReadValue(field.Kind, field.Struct, depth + 1);
            }
        }
    }

    private void ReadList(ThriftField field, short id, ThriftStruct owner, int depth)
    {
        byte header = NextByte();
        int count = Count(header);
        // Some writers give an empty list element type 0: with no elements there is nothing to misread.
        if (count > 0 && !Carries(header & 0x0F, field.Element))
        {
            throw new ThriftDamageException($"the elements of list field {id} of {owner.Name} have wire type {header & 0x0F}, not {field.Element}");
        }

        for (int i = 0; i < count; i++)
        {
            if (field.Element == ThriftKind.Bool)
            {
                // Parquet.Net's ReadBool takes one byte per list element.
                Bytes(1);
            }
            else
            {
                ReadValue(field.Element, field.Struct, depth);
            }
        }
    }

    private void ReadValue(ThriftKind kind, ThriftStruct? type, int depth)
    {
        switch (kind)
        {
            case ThriftKind.Bool:
                // A boolean field's value is its type nibble.
                break;
            case ThriftKind.Byte:
                Bytes(1);
                break;
            case ThriftKind.I16:
            case ThriftKind.I32:
                Varint(5);
                break;
            case ThriftKind.I64:
                Varint(10);
                break;
            case ThriftKind.Double:
                Bytes(8);
                break;
            case ThriftKind.Binary:
                Binary();
                break;
            default:
                ReadStruct(type!, depth);
                break;
        }
    }

    /// <summary>Parquet.Net's SkipField for a field id its schema does not know, by the field's wire type.</summary>
    private void Skip(int wire, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ThriftDamageException($"lists nested deeper than {MaxDepth}");
        }

        switch (wire)
        {
            case 1:
            case 2:
                break;
            case 3:
                Bytes(1);
                break;
            case 4:
            case 5:
                Varint(5);
                break;
            case 6:
                Varint(10);
                break;
            case 7:
                Bytes(8);
                break;
            case 8:
                Binary();
                break;
            case 9:
                int count = Count(NextByte(), out int element);
                for (int i = 0; i < count; i++)
                {
                    Skip(element, depth + 1);
                }

                break;
            case 12:
                // Parquet.Net skips a struct by reading field headers up to a stop, not their values.
                while (true)
                {
                    byte header = NextByte();
                    if (header == 0)
                    {
                        break;
                    }

                    if ((header >> 4) == 0)
                    {
                        Varint(5);
                    }
                }

                break;
            default:
                throw new ThriftDamageException($"wire type {wire} where a field value was expected");
        }
    }

    private static bool Carries(int wire, ThriftKind kind) => kind switch
    {
        ThriftKind.Bool => wire is 1 or 2,
        ThriftKind.Byte => wire == 3,
        ThriftKind.I16 => wire == 4,
        ThriftKind.I32 => wire == 5,
        ThriftKind.I64 => wire == 6,
        ThriftKind.Double => wire == 7,
        ThriftKind.Binary => wire == 8,
        ThriftKind.List => wire == 9,
        _ => wire == 12,
    };

    private int Count(byte header) => Count(header, out _);

    /// <summary>A list's size from its header byte (and a varint when the nibble is 15); every element takes a byte.</summary>
    private int Count(byte header, out int element)
    {
        element = header & 0x0F;
        long count = header >> 4;
        if (count == 15)
        {
            count = (int)Varint(5);
        }

        if (count < 0 || count > _data.Length - _position)
        {
            throw new ThriftDamageException($"a list of {count} elements with {_data.Length - _position} bytes left", pastEnd: true);
        }

        return (int)count;
    }

    private void Binary()
    {
        int length = (int)Varint(5);
        if (length < 0 || length > _data.Length - _position)
        {
            throw new ThriftDamageException($"a string of {length} bytes with {_data.Length - _position} bytes left", pastEnd: true);
        }

        _position += length;
    }

    private void Bytes(int count)
    {
        if (count > _data.Length - _position)
        {
            throw new ThriftDamageException("a value runs past the end", pastEnd: true);
        }

        _position += count;
    }

    private byte NextByte()
    {
        if (_position >= _data.Length)
        {
            throw new ThriftDamageException("a struct runs past the end", pastEnd: true);
        }

        return _data[_position++];
    }

    /// <summary>A varint of at most <paramref name="maxBytes"/> bytes, as Parquet.Net assembles it.</summary>
    private ulong Varint(int maxBytes)
    {
        ulong value = 0;
        for (int i = 0; i < maxBytes; i++)
        {
            byte b = NextByte();
            value |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new ThriftDamageException($"a varint longer than {maxBytes} bytes");
    }

    private static int Zigzag(ulong n) => (int)((uint)n >> 1) ^ -(int)(n & 1);
}

/// <summary>Thrift bytes Parquet.Net would misread or not finish; <see cref="PastEnd"/> when they need more bytes than given.</summary>
internal sealed class ThriftDamageException(string message, bool pastEnd = false) : Exception(message)
{
    /// <summary>The struct runs past the end of the span: damage at the end of a file, or a read-ahead window too short.</summary>
    public bool PastEnd { get; } = pastEnd;
}
