using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Distal.Algorithms;

/// <summary>
/// A partial's encoding: its bytes in segments of at most <see cref="SegmentBytes"/> each (1 GiB), so a partial of
/// any size travels — a .NET array holds at most 2³¹ − 57 bytes, and a covariance partial of 16 384 columns is
/// 2 GiB. The first 8 bytes of the first segment hold the total length, so a receiver needs no other message to
/// know how many segments follow, and the segment size need not agree between ranks. A small partial is one
/// segment of exactly its length: one allocation and one copy, as a plain byte array was.
/// </summary>
internal sealed class PartialBytes
{
    /// <summary>The length header's size.</summary>
    public const int HeaderBytes = sizeof(long);

    private const int DefaultSegmentBytes = 1 << 30;

    // Tests force tiny segments so that the multi-segment path runs on every partial type; flowing with the
    // execution context (embedded ranks and worker threads inherit it), the override stays inside the test.
    private static readonly AsyncLocal<int> ForcedSegmentBytes = new();

    private readonly byte[]?[] _segments;

    private PartialBytes(byte[]?[] segments, long length)
    {
        _segments = segments;
        Length = length;
    }

    /// <summary>The largest segment an encoding is cut into now.</summary>
    public static int SegmentBytes => ForcedSegmentBytes.Value > 0 ? ForcedSegmentBytes.Value : DefaultSegmentBytes;

    /// <summary>All bytes, the header included.</summary>
    public long Length { get; }

    /// <summary>How many segments hold the bytes.</summary>
    public int SegmentCount => _segments.Length;

    /// <summary>Cuts encodings made inside the returned scope into segments of <paramref name="bytes"/> (tests).</summary>
    public static IDisposable ForceSegmentBytes(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, HeaderBytes);
        int previous = ForcedSegmentBytes.Value;
        ForcedSegmentBytes.Value = bytes;
        return new Restore(() => ForcedSegmentBytes.Value = previous);
    }

    /// <summary>Uninitialized segments for <paramref name="length"/> bytes: full ones of <see cref="SegmentBytes"/>, then the rest.</summary>
    public static PartialBytes Allocate(long length)
    {
        int size = SegmentBytes;
        long count = Math.Max(1, (length + size - 1) / size);
        var segments = new byte[]?[count];
        for (long s = 0; s < count; s++)
        {
            segments[s] = GC.AllocateUninitializedArray<byte>((int)Math.Min(size, length - (s * size)));
        }

        return new PartialBytes(segments, length);
    }

    /// <summary>Segments received from another rank, of any sizes; the header must state their total.</summary>
    public static PartialBytes FromSegments(IReadOnlyList<byte[]> segments)
    {
        long length = segments.Sum(s => (long)s.Length);
        if (segments.Count == 0 || length < HeaderBytes || TotalLength(segments[0]) != length)
        {
            throw new DistalException(FailureKind.Communication, $"a partial arrived with {length} bytes in {segments.Count} segment(s), not the length its header states");
        }

        return new PartialBytes([.. segments], length);
    }

    /// <summary>The total length a first segment's header states (−1 when the segment is too short to hold one).</summary>
    public static long TotalLength(ReadOnlySpan<byte> first)
        => first.Length < HeaderBytes ? -1 : MemoryMarshal.Read<long>(first);

    /// <summary>Segment <paramref name="index"/>.</summary>
    /// <exception cref="InvalidOperationException">It was released.</exception>
    public byte[] Segment(int index)
        => _segments[index] ?? throw new InvalidOperationException($"segment {index} of a partial's bytes was already released");

    /// <summary>Drops segment <paramref name="index"/>, so that its memory can be reclaimed before the whole encoding is done with.</summary>
    public void Release(int index) => _segments[index] = null;

    /// <summary>Whether both hold the same bytes (however they are segmented).</summary>
    public bool ContentEquals(PartialBytes other)
    {
        if (Length != other.Length)
        {
            return false;
        }

        var a = new PartialReader(this);
        var b = new PartialReader(other);
        Span<byte> left = stackalloc byte[4096];
        Span<byte> right = stackalloc byte[4096];
        for (long done = 0; done < Length; done += left.Length)
        {
            int n = (int)Math.Min(left.Length, Length - done);
            a.ReadBytes(left[..n]);
            b.ReadBytes(right[..n]);
            if (!left[..n].SequenceEqual(right[..n]))
            {
                return false;
            }
        }

        return true;
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}

/// <summary>
/// Serializes a partial result (native endianness: every rank of a job shares one architecture). A partial's
/// <see cref="IPartial{TSelf}.WriteTo"/> runs twice: first into a measuring writer (nothing is copied), then into
/// segments allocated once at the exact length — no growing buffer, no final copy.
/// </summary>
internal sealed class PartialWriter
{
    private readonly PartialBytes? _target;
    private int _segment;
    private int _offset;

    /// <summary>A measuring writer: it only counts bytes (<see cref="Length"/>).</summary>
    public PartialWriter()
    {
        Length = PartialBytes.HeaderBytes;
    }

    /// <summary>A writer into <paramref name="target"/>, which it starts with the length header.</summary>
    private PartialWriter(PartialBytes target)
    {
        _target = target;
        Write(target.Length);
    }

    /// <summary>Bytes written (or measured) so far, the header included.</summary>
    public long Length { get; private set; }

    /// <summary>The encoding of whatever <paramref name="write"/> writes.</summary>
    public static PartialBytes Encode(Action<PartialWriter> write)
    {
        var measure = new PartialWriter();
        write(measure);
        var writer = new PartialWriter(PartialBytes.Allocate(measure.Length));
        write(writer);
        if (writer.Length != measure.Length)
        {
            throw new InvalidOperationException($"a partial wrote {writer.Length} bytes after measuring {measure.Length}");
        }

        return writer._target!;
    }

    public void Write(long value) => Write<long>([value]);

    public void Write(double value) => Write<double>([value]);

    public void Write<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        // In pieces: MemoryMarshal.AsBytes of 2³¹ bytes or more overflows.
        int piece = int.MaxValue / Unsafe.SizeOf<T>();
        while (!values.IsEmpty)
        {
            int n = Math.Min(piece, values.Length);
            WriteBytes(MemoryMarshal.AsBytes(values[..n]));
            values = values[n..];
        }
    }

    public void WriteArray<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        Write(values.Length);
        Write(values);
    }

    private void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        if (_target is null)
        {
            Length += bytes.Length;
            return;
        }

        while (!bytes.IsEmpty)
        {
            byte[] segment = _target.Segment(_segment);
            if (_offset == segment.Length)
            {
                _segment++;
                _offset = 0;
                continue;
            }

            int n = Math.Min(bytes.Length, segment.Length - _offset);
            bytes[..n].CopyTo(segment.AsSpan(_offset));
            _offset += n;
            Length += n;
            bytes = bytes[n..];
        }
    }
}

/// <summary>
/// Reads what <see cref="PartialWriter"/> wrote, in the same order, across segment boundaries. A releasing reader
/// drops each segment once it has read past it, so that decoding holds the encoding and the decoded partial
/// together only one segment at a time, not twice over.
/// </summary>
internal ref struct PartialReader
{
    private readonly PartialBytes _bytes;
    private readonly bool _release;
    private int _segment;
    private ReadOnlySpan<byte> _rest;

    /// <summary>A reader positioned at the start (on the length header).</summary>
    public PartialReader(PartialBytes bytes, bool release = false)
    {
        _bytes = bytes;
        _release = release;
        _rest = bytes.Segment(0);
    }

    public long ReadInt64() => Read<long>();

    public double ReadDouble() => Read<double>();

    public T Read<T>()
        where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        if (_rest.Length >= size)
        {
            T value = MemoryMarshal.Read<T>(_rest);
            _rest = _rest[size..];
            return value;
        }

        // The value straddles two segments.
        T straddling = default;
        ReadBytes(MemoryMarshal.AsBytes(new Span<T>(ref straddling)));
        return straddling;
    }

    public void Read<T>(scoped Span<T> destination)
        where T : unmanaged
    {
        int piece = int.MaxValue / Unsafe.SizeOf<T>();
        while (!destination.IsEmpty)
        {
            int n = Math.Min(piece, destination.Length);
            ReadBytes(MemoryMarshal.AsBytes(destination[..n]));
            destination = destination[n..];
        }
    }

    public T[] ReadArray<T>()
        where T : unmanaged
    {
        long length = ReadInt64();
        if (length < 0 || length > Array.MaxLength)
        {
            throw new InvalidDataException($"a partial's array states {length} elements");
        }

        var values = new T[length];
        Read<T>(values);
        return values;
    }

    /// <summary>Checks that every byte was read (a decoder that stops short misreads its partial) and releases the last segment.</summary>
    public void Finish()
    {
        long left = _rest.Length;
        for (int s = _segment + 1; s < _bytes.SegmentCount; s++)
        {
            left += _bytes.Segment(s).Length;
        }

        if (left != 0)
        {
            throw new InvalidDataException($"a partial's decoder left {left} of its {_bytes.Length} bytes unread");
        }

        if (_release)
        {
            _bytes.Release(_segment);
        }
    }

    internal void ReadBytes(scoped Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            if (_rest.IsEmpty)
            {
                if (_segment + 1 >= _bytes.SegmentCount)
                {
                    throw new InvalidDataException($"a partial's decoder read past its {_bytes.Length} bytes");
                }

                if (_release)
                {
                    _bytes.Release(_segment);
                }

                _rest = _bytes.Segment(++_segment);
                continue;
            }

            int n = Math.Min(destination.Length, _rest.Length);
            _rest[..n].CopyTo(destination);
            _rest = _rest[n..];
            destination = destination[n..];
        }
    }
}
