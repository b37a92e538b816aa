using System.Buffers;
using System.Runtime.InteropServices;

namespace Distal.Algorithms;

/// <summary>
/// Sufficient statistics of the rows seen so far (counts, sums, centered cross-products, R factors...).
/// Two partials merge exactly as if their rows had been seen together; a partial travels between ranks as bytes.
/// </summary>
internal abstract class PartialResult
{
    /// <summary>Number of columns of the rows this partial summarizes.</summary>
    public abstract int Columns { get; }

    /// <summary>Folds <paramref name="other"/> (of the same algorithm and column count) into this partial.</summary>
    public abstract void Merge(PartialResult other);

    /// <summary>Writes every field, so that the algorithm's reader rebuilds an equal partial.</summary>
    public abstract void WriteTo(PartialWriter writer);
}

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
