using System.Buffers;
using System.Globalization;
using System.Numerics;

namespace Distal.Data;

/// <summary>
/// Writes a table as headerless CSV with round-trip ("R") formatting: reading the file back gives the same bits.
/// </summary>
internal static class CsvWriter
{
    public static void Write<T>(string path, Table<T> table)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(table);
        OutputFile.Write(path, stream => WriteTo(stream, table));
    }

    /// <summary>Writes <paramref name="chunks"/> one after the other as one file, each as it comes (a streamed output).</summary>
    public static void WriteChunks<T>(string path, IEnumerable<Table<T>> chunks)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(chunks);
        OutputFile.Write(path, stream =>
        {
            foreach (var chunk in chunks)
            {
                WriteTo(stream, chunk);
            }
        });
    }

    private static void WriteTo<T>(FileStream stream, Table<T> table)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {

        // The shortest round-trip form of a double is at most 24 bytes; a comma or newline follows each value.
        const int MaxFieldBytes = 32;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1 << 16, (table.Columns * MaxFieldBytes) + 1));
        try
        {
            int used = 0;
            for (int row = 0; row < table.Rows; row++)
            {
                ReadOnlySpan<T> values = table.Row(row);
                if (buffer.Length - used < (values.Length * MaxFieldBytes) + 1)
                {
                    stream.Write(buffer, 0, used);
                    used = 0;
                }

                for (int i = 0; i < values.Length; i++)
                {
                    if (!values[i].TryFormat(buffer.AsSpan(used), out int written, "R", CultureInfo.InvariantCulture))
                    {
                        throw new DistalException(FailureKind.Internal, "a value did not fit its field buffer");
                    }

                    used += written;
                    buffer[used++] = i + 1 < values.Length ? (byte)',' : (byte)'\n';
                }
            }

            stream.Write(buffer, 0, used);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
