namespace Distal.Data;

/// <summary>
/// A growable array of parsed values. Memory is allocated uninitialised: the parser's own writes are the first
/// touch, which on these VMs is what large fresh allocations cost (zeroing first would touch it twice).
/// </summary>
internal sealed class ValueBuffer<T>
    where T : unmanaged
{
    private T[] _array;

    public ValueBuffer(int capacity) => _array = capacity == 0 ? [] : GC.AllocateUninitializedArray<T>(capacity);

    public int Count { get; private set; }

    public int Capacity => _array.Length;

    /// <summary>Room for at least <paramref name="count"/> more values, starting at <see cref="Count"/>.</summary>
    public Span<T> Reserve(int count)
    {
        if (_array.Length - Count < count)
        {
            Resize(Math.Max(checked(Count + count), (int)Math.Min(Array.MaxLength, _array.Length + ((long)_array.Length >> 1))));
        }

        return _array.AsSpan(Count);
    }

    public void Commit(int count) => Count += count;

    /// <summary>Forgets the values but keeps the memory, for the next chunk of a stream.</summary>
    public void Clear() => Count = 0;

    /// <summary>The values held, without trimming (a view that the next <see cref="Clear"/> invalidates).</summary>
    public Memory<T> View => _array.AsMemory(0, Count);

    /// <summary>Grows to <paramref name="capacity"/> values when it is larger than now (one copy of what is held).</summary>
    public void EnsureCapacity(long capacity)
    {
        if (capacity > _array.Length)
        {
            Resize((int)Math.Min(Array.MaxLength, capacity));
        }
    }

    /// <summary>The values, in an array trimmed when more than a sixteenth of it would be unused.</summary>
    public Memory<T> ToMemory()
    {
        if (_array.Length - Count > (Count >> 4) + 64)
        {
            Resize(Count);
        }

        return _array.AsMemory(0, Count);
    }

    private void Resize(int capacity)
    {
        T[] larger = capacity == 0 ? [] : GC.AllocateUninitializedArray<T>(capacity);
        _array.AsSpan(0, Count).CopyTo(larger);
        _array = larger;
    }
}
