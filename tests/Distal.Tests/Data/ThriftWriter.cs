using System.Text;

namespace Distal.Tests.Data;

/// <summary>
/// A minimal Thrift compact-protocol writer, written from the protocol's specification for the Parquet damage tests:
/// it builds page headers and footers byte by byte, so a test can place any value, type nibble or size it needs.
/// Field headers use the short form (id delta 1–15 in the high nibble) whenever the delta allows.
/// </summary>
internal sealed class ThriftWriter
{
    public const byte True = 1;
    public const byte I32 = 5;
    public const byte I64 = 6;
    public const byte Binary = 8;
    public const byte List = 9;
    public const byte Struct = 12;

    private readonly List<byte> _bytes = [];
    private readonly Stack<short> _lastIds = new();
    private short _lastId;

    public byte[] ToArray() => [.. _bytes];

    public ThriftWriter Begin()
    {
        _lastIds.Push(_lastId);
        _lastId = 0;
        return this;
    }

    public ThriftWriter End()
    {
        _bytes.Add(0);
        _lastId = _lastIds.Pop();
        return this;
    }

    public ThriftWriter Field(short id, byte type)
    {
        int delta = id - _lastId;
        if (delta is > 0 and <= 15)
        {
            _bytes.Add((byte)((delta << 4) | type));
        }
        else
        {
            _bytes.Add(type);
            Varint(Zigzag(id));
        }

        _lastId = id;
        return this;
    }

    public ThriftWriter Int(short id, long value, byte type = I32)
    {
        Field(id, type);
        Varint(Zigzag(value));
        return this;
    }

    public ThriftWriter String(short id, string value) => Field(id, Binary).Bytes(Encoding.UTF8.GetBytes(value));

    public ThriftWriter ListHeader(short id, byte elementType, int count)
    {
        Field(id, List);
        if (count < 15)
        {
            _bytes.Add((byte)((count << 4) | elementType));
        }
        else
        {
            _bytes.Add((byte)(0xF0 | elementType));
            Varint((ulong)count);
        }

        return this;
    }

    /// <summary>A list element or value without a field header: a varint length and the bytes.</summary>
    public ThriftWriter Bytes(byte[] value)
    {
        Varint((ulong)value.Length);
        _bytes.AddRange(value);
        return this;
    }

    /// <summary>A list element of type i32 (a zigzag varint).</summary>
    public ThriftWriter Element(long value)
    {
        Varint(Zigzag(value));
        return this;
    }

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            _bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        _bytes.Add((byte)value);
    }

    private static ulong Zigzag(long value) => (ulong)((value << 1) ^ (value >> 63));
}
