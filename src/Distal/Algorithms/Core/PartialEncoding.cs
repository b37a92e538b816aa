using System.Buffers;
using System.Runtime.InteropServices;

namespace Distal.Algorithms;

/// <summary>Serializes a partial result into bytes (native endianness: every rank of a job shares one architecture).</summary>
internal sealed class PartialWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    public void Write(long value) => Write<long>([value]);

    public void Write(double value) => Write<double>([value]);

    public void Write<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(values);
        bytes.CopyTo(_buffer.GetSpan(bytes.Length));
        _buffer.Advance(bytes.Length);
    }

    public void WriteArray<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        Write(values.Length);
        Write(values);
    }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}

/// <summary>Reads what <see cref="PartialWriter"/> wrote, in the same order.</summary>
internal ref struct PartialReader(ReadOnlySpan<byte> bytes)
{
    private ReadOnlySpan<byte> _rest = bytes;

    public long ReadInt64() => Read<long>();

    public double ReadDouble() => Read<double>();

    public T Read<T>()
        where T : unmanaged
    {
        T value = MemoryMarshal.Read<T>(_rest);
        _rest = _rest[System.Runtime.CompilerServices.Unsafe.SizeOf<T>()..];
        return value;
    }

    public void Read<T>(Span<T> destination)
        where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(destination);
        _rest[..bytes.Length].CopyTo(bytes);
        _rest = _rest[bytes.Length..];
    }

    public T[] ReadArray<T>()
        where T : unmanaged
    {
        var values = new T[checked((int)ReadInt64())];
        Read<T>(values);
        return values;
    }
}
