namespace Distal.Data;

/// <summary>
/// A growable array of parsed values, or a window of an array shared with other buffers (the pieces of a
/// multi-threaded read write straight into their own ranges of one table). Memory is allocated uninitialised: the
/// parser's own writes are the first touch, which on these VMs is what large fresh allocations cost (zeroing first
/// would touch it twice). A window that fills up moves to an array of its own, so a wrong size estimate costs a
/// copy, never a wrong result.
/// </summary>
internal sealed class ValueBuffer<T>
    where T : unmanaged
{
    private T[] _array;
    private int _offset;
    private int _capacity;

    public ValueBuffer(int capacity)
    {
        _array = Allocate(capacity);
        _capacity = _array.Length;
    }

    /// <summary>A buffer over <paramref name="shared"/>[<paramref name="offset"/>..+<paramref name="capacity"/>].</summary>
    public ValueBuffer(T[] shared, int offset, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)offset + capacity, shared.Length);
        _array = shared;
        _offset = offset;
        _capacity = capacity;
    }

    public int Count { get; private set; }

    public int Capacity => _capacity;

    /// <summary>Whether the values still lie in <paramref name="shared"/> at <paramref name="offset"/> (the window was not outgrown).</summary>
    public bool IsWindowOf(T[] shared, int offset) => ReferenceEquals(_array, shared) && _offset == offset;

    /// <summary>Room for at least <paramref name="count"/> more values, starting at <see cref="Count"/>.</summary>
    public Span<T> Reserve(int count)
    {
        if (_capacity - Count < count)
        {
            Resize(Math.Max(checked(Count + count), (int)Math.Min(Array.MaxLength, _capacity + ((long)_capacity >> 1))));
        }

        return _array.AsSpan(_offset + Count, _capacity - Count);
    }

    public void Commit(int count) => Count += count;

    /// <summary>Forgets the values but keeps the memory, for the next chunk of a stream.</summary>
    public void Clear() => Count = 0;

    /// <summary>The values held, without trimming (a view that the next <see cref="Clear"/> invalidates).</summary>
    public Memory<T> View => _array.AsMemory(_offset, Count);

    /// <summary>Grows to <paramref name="capacity"/> values when it is larger than now (one copy of what is held).</summary>
    public void EnsureCapacity(long capacity)
    {
        if (capacity > _capacity)
        {
            Resize((int)Math.Min(Array.MaxLength, capacity));
        }
    }

    /// <summary>The values, in an array trimmed when more than a sixteenth of it would be unused.</summary>
    public Memory<T> ToMemory()
    {
        if (_offset == 0 && _array.Length - Count > (Count >> 4) + 64)
        {
            Resize(Count);
        }

        return View;
    }

    /// <summary>Uninitialised memory for <paramref name="capacity"/> values.</summary>
    public static T[] Allocate(int capacity) => capacity == 0 ? [] : GC.AllocateUninitializedArray<T>(capacity);

    private void Resize(int capacity)
    {
        T[] larger = Allocate(capacity);
        View.Span.CopyTo(larger);
        _array = larger;
        _offset = 0;
        _capacity = larger.Length;
    }
}
