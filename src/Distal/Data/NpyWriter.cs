using System.Numerics;
using System.Runtime.InteropServices;

namespace Distal.Data;

/// <summary>Writes a table as a NumPy .npy file: '&lt;f8' for double tables, '&lt;f4' for float tables, C order.</summary>
internal static class NpyWriter
{
    public static void Write<T>(string path, Table<T> table)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(table);
        if (!BitConverter.IsLittleEndian)
        {
            throw new DistalException(FailureKind.Internal, ".npy writing needs a little-endian machine");
        }

        NpyElementType type = typeof(T) == typeof(double) ? NpyElementType.Float64 : NpyElementType.Float32;
        byte[] header = NpyHeader.Format(type, table.Rows, table.Columns);
        OutputFile.Write(path, stream =>
        {
            stream.Write(header);

            // In pieces of whole rows: MemoryMarshal.AsBytes cannot describe 2 GiB or more at once.
            int rowsPerPiece = Math.Max(1, (1 << 28) / Math.Max(1, table.Columns * Marshal.SizeOf<T>()));
            for (int row = 0; row < table.Rows; row += rowsPerPiece)
            {
                int rows = Math.Min(rowsPerPiece, table.Rows - row);
                stream.Write(MemoryMarshal.AsBytes(table.Span.Slice(row * table.Columns, rows * table.Columns)));
            }
        });
    }
}
