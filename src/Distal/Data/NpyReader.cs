using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Distal.Data;

/// <summary>
/// Reads NumPy .npy files of '&lt;f8' or '&lt;f4' values in C order into tables. Rows have a fixed size, so a
/// share of the rows is an exact byte range: share s of S holds rows [s·R/S, (s+1)·R/S).
/// </summary>
internal static class NpyReader
{
    /// <summary>Reads the whole array.</summary>
    public static Table<T> Read<T>(string path)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => ReadShare<T>(path, 0, 1);

    /// <summary>Reads rows [share·R/shares, (share+1)·R/shares). An empty share keeps the file's column count.</summary>
    public static Table<T> ReadShare<T>(string path, int share, int shares)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(share);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(share, shares);
        if (!BitConverter.IsLittleEndian)
        {
            throw new DistalException(FailureKind.Internal, ".npy reading needs a little-endian machine");
        }

        using SafeFileHandle handle = CsvReader.Open(path);
        NpyHeader header = NpyHeader.Read(handle, path);
        int first = (int)((long)header.Rows * share / shares);
        int rows = (int)((long)header.Rows * (share + 1) / shares) - first;
        int columns = header.Columns;
        if (rows == 0)
        {
            return Table<T>.Empty(columns);
        }

        T[] values = GC.AllocateUninitializedArray<T>(rows * columns);
        ReadRows(handle, header, first, values, path);
        return new Table<T>(values, rows, columns);
    }

    /// <summary>
    /// The rows of <see cref="ReadShare{T}(string, int, int)"/> as chunks of <paramref name="chunkRows"/> rows, all in
    /// one reused array: each chunk is valid until the next is requested.
    /// </summary>
    public static IEnumerable<Table<T>> ReadChunks<T>(string path, int share, int shares, int chunkRows)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(share);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(share, shares);
        using SafeFileHandle handle = CsvReader.Open(path);
        NpyHeader header = NpyHeader.Read(handle, path);
        long first = (long)header.Rows * share / shares;
        long end = (long)header.Rows * (share + 1) / shares;
        int columns = header.Columns;
        T[] buffer = GC.AllocateUninitializedArray<T>(checked((int)Math.Min(chunkRows, end - first) * columns));
        for (long row = first; row < end; row += chunkRows)
        {
            int rows = (int)Math.Min(chunkRows, end - row);
            ReadRows(handle, header, row, buffer.AsSpan(0, rows * columns), path);
            yield return new Table<T>(buffer.AsMemory(0, rows * columns), rows, columns);
        }
    }

    /// <summary>Reads whole rows from <paramref name="first"/> into <paramref name="destination"/>, converting when the types differ.</summary>
    private static void ReadRows<T>(SafeFileHandle handle, NpyHeader header, long first, Span<T> destination, string path)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        long offset = header.DataOffset + (first * header.Columns * header.ElementSize);
        if (header.ElementSize == Unsafe.SizeOf<T>())
        {
            ReadExactly(handle, MemoryMarshal.AsBytes(destination), offset, path);
            int bad = FirstNonFinite<T>(destination);
            if (bad >= 0)
            {
                throw NotFinite(path, (int)first, header.Columns, bad, destination[bad], narrowed: false);
            }
        }
        else if (header.ElementType == NpyElementType.Float64)
        {
            Convert<double, T>(handle, destination, offset, path, (int)first, header.Columns);
        }
        else
        {
            Convert<float, T>(handle, destination, offset, path, (int)first, header.Columns);
        }
    }

    /// <summary>
    /// Reads values of the file's type in chunks and converts them (rounding to nearest when narrowing). A value that
    /// is not finite, or a double too large for float, is an input error naming its row and column.
    /// </summary>
    private static void Convert<TFile, T>(SafeFileHandle handle, Span<T> destination, long offset, string path, int firstRow, int columns)
        where TFile : unmanaged, IBinaryFloatingPointIeee754<TFile>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        const int ChunkValues = 1 << 16;
        TFile[] buffer = ArrayPool<TFile>.Shared.Rent(ChunkValues);
        long done = 0;
        try
        {
            while (!destination.IsEmpty)
            {
                int n = Math.Min(ChunkValues, destination.Length);
                ReadExactly(handle, MemoryMarshal.AsBytes(buffer.AsSpan(0, n)), offset, path);
                for (int i = 0; i < n; i++)
                {
                    destination[i] = T.CreateTruncating(buffer[i]);
                }

                int bad = FirstNonFinite<T>(destination[..n]);
                if (bad >= 0)
                {
                    throw NotFinite(path, firstRow, columns, done + bad, buffer[bad], narrowed: TFile.IsFinite(buffer[bad]));
                }

                done += n;
                destination = destination[n..];
                offset += (long)n * Unsafe.SizeOf<TFile>();
            }
        }
        finally
        {
            ArrayPool<TFile>.Shared.Return(buffer);
        }
    }

    /// <summary>The index of the first NaN or infinity in <paramref name="values"/>, or −1. x − x is 0 exactly when x is finite.</summary>
    internal static int FirstNonFinite<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<T>.Count)
        {
            var all = MemoryMarshal.Cast<T, Vector<T>>(values);
            for (int v = 0; v < all.Length; v++)
            {
                if (!Vector.EqualsAll(all[v] - all[v], Vector<T>.Zero))
                {
                    i = v * Vector<T>.Count;
                    break;
                }

                i = (v + 1) * Vector<T>.Count;
            }
        }

        for (; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static DataFormatException NotFinite<TValue>(string path, int firstRow, int columns, long index, TValue value, bool narrowed)
        where TValue : IFormattable
    {
        long row = firstRow + (index / columns) + 1;
        long column = (index % columns) + 1;
        string text = value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        return new DataFormatException(path, row, column, narrowed
            ? $"{text} does not fit in float (--fptype float); read the file as double"
            : $"{text} is not a finite number");
    }

    private static void ReadExactly(SafeFileHandle handle, Span<byte> destination, long offset, string path)
    {
        while (!destination.IsEmpty)
        {
            int read = RandomAccess.Read(handle, destination, offset);
            if (read == 0)
            {
                throw new DistalException(FailureKind.Input, $"{path}: file shrank while it was read");
            }

            destination = destination[read..];
            offset += read;
        }
    }
}
