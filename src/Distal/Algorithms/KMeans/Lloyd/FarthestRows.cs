namespace Distal.Algorithms;

/// <summary>
/// The <c>capacity</c> rows farthest from their assigned centroid seen so far, with their values — the candidates for
/// re-seeding empty clusters. Order: larger distance first, then smaller global row index, so the choice is the same
/// however the rows were split. Offering a row costs one comparison unless it enters the list.
/// </summary>
internal sealed class FarthestRows(int capacity, int columns)
{
    private readonly double[] _distances = new double[capacity];
    private readonly long[] _rows = new long[capacity];
    private readonly int[] _clusters = new int[capacity];
    private readonly double[] _values = new double[capacity * columns];
    private int _count;
    private int _weakest;

    public int Count => _count;

    /// <summary>Rows farther than this may enter the list (−∞ until it is full); nearer ones need not be offered.</summary>
    public double Threshold { get; private set; } = double.NegativeInfinity;

    public void Offer(double distance, long globalRow, int cluster, ReadOnlySpan<double> values)
    {
        int slot;
        if (_count < capacity)
        {
            slot = _count++;
        }
        else if (capacity > 0 && Precedes(distance, globalRow, _distances[_weakest], _rows[_weakest]))
        {
            slot = _weakest;
        }
        else
        {
            return;
        }

        _distances[slot] = distance;
        _rows[slot] = globalRow;
        _clusters[slot] = cluster;
        values.CopyTo(_values.AsSpan(slot * columns, columns));
        if (_count == capacity)
        {
            FindWeakest();
        }
    }

    /// <summary>Adds every row of <paramref name="other"/>.</summary>
    public void Absorb(FarthestRows other)
    {
        for (int i = 0; i < other._count; i++)
        {
            Offer(other._distances[i], other._rows[i], other._clusters[i], other._values.AsSpan(i * columns, columns));
        }
    }

    /// <summary>Records of (distance, global row, cluster, values...), in no particular order.</summary>
    public double[] ToRecords()
    {
        int record = columns + 3;
        var records = new double[_count * record];
        for (int i = 0; i < _count; i++)
        {
            records[i * record] = _distances[i];
            records[(i * record) + 1] = _rows[i];
            records[(i * record) + 2] = _clusters[i];
            _values.AsSpan(i * columns, columns).CopyTo(records.AsSpan((i * record) + 3, columns));
        }

        return records;
    }

    public void Clear()
    {
        _count = 0;
        Threshold = double.NegativeInfinity;
    }

    /// <summary>Whether (d1, row1) comes before (d2, row2): farther first, then the lower global row.</summary>
    public static bool Precedes(double d1, long row1, double d2, long row2) => d1 > d2 || (d1 == d2 && row1 < row2);

    private void FindWeakest()
    {
        int weakest = 0;
        for (int i = 1; i < _count; i++)
        {
            if (Precedes(_distances[weakest], _rows[weakest], _distances[i], _rows[i]))
            {
                weakest = i;
            }
        }

        _weakest = weakest;
        Threshold = _distances[weakest];
    }
}
