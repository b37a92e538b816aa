using System.Globalization;
using System.Numerics;
using System.Text;

namespace Distal.Data;

/// <summary>
/// Writes a CSR table in daal4py's 3-line format, one-based as daal4py writes it: row offsets, column indices,
/// values (round-trip formatting, so reading back gives the same bits).
/// </summary>
internal static class CsrWriter
{
    public static void Write<T>(string path, CsrTable<T> table)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(table);
        OutputFile.Write(path, stream => WriteTo(stream, table));
    }

    private static void WriteTo<T>(FileStream stream, CsrTable<T> table)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        var offsets = table.RowOffsets.Span;
        int first = offsets[0] - (int)table.Indexing;
        int last = offsets[^1] - (int)table.Indexing;

        // Rebased so that the file's first offset is 1, whatever slice of a larger table this is.
        for (int i = 0; i < offsets.Length; i++)
        {
            WriteField(writer, i, offsets[i] - offsets[0] + 1);
        }

        writer.Write('\n');
        var indices = table.ColumnIndices.Span[first..last];
        int indexShift = 1 - (int)table.Indexing;
        for (int i = 0; i < indices.Length; i++)
        {
            WriteField(writer, i, indices[i] + indexShift);
        }

        writer.Write('\n');
        var values = table.Values.Span[first..last];
        for (int i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                writer.Write(',');
            }

            writer.Write(values[i].ToString("R", CultureInfo.InvariantCulture));
        }

        writer.Write('\n');
    }

    private static void WriteField(StreamWriter writer, int position, int value)
    {
        if (position > 0)
        {
            writer.Write(',');
        }

        writer.Write(value.ToString(CultureInfo.InvariantCulture));
    }
}
