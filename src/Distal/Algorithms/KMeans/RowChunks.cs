using System.Numerics;
using Distal.Data;
using Microsoft.Win32.SafeHandles;

namespace Distal.Algorithms;

/// <summary>This rank's rows for Lloyd, delivered as consecutive chunks, possibly re-read on every pass.</summary>
internal interface IRowChunks<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>The rows in order, chunk after chunk. Enumerating again starts over.</summary>
    IEnumerable<Table<T>> Chunks();
}

/// <summary>A table held in memory: one chunk.</summary>
internal sealed class TableChunks<T>(Table<T> table) : IRowChunks<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>The one chunk.</summary>
    public Table<T> Table => table;

    public IEnumerable<Table<T>> Chunks()
    {
        yield return table;
    }
}

/// <summary>Rows from a caller's source, asked for afresh on every pass.</summary>
internal sealed class PassChunks<T>(Func<IEnumerable<Table<T>>> readRows) : IRowChunks<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public IEnumerable<Table<T>> Chunks() => readRows();
}

/// <summary>
/// Headerless numeric CSV files read afresh on every pass, about <c>chunkRows</c> rows at a time, so memory holds one
/// chunk instead of the data. Malformed input raises a <see cref="DataFormatException"/> naming file and line.
/// </summary>
internal sealed class CsvFileChunks(IReadOnlyList<string> paths, int chunkRows) : IRowChunks<double>
{
    private const int ReadBytes = 1 << 20;

    public IEnumerable<Table<double>> Chunks()
    {
        foreach (string path in paths)
        {
            foreach (var chunk in ReadFile(path))
            {
                yield return chunk;
            }
        }
    }

    private IEnumerable<Table<double>> ReadFile(string path)
    {
        using SafeFileHandle handle = CsvReader.Open(path);
        long length = RandomAccess.GetLength(handle);
        byte[] buffer = new byte[ReadBytes];
        int filled = 0;
        long position = 0;
        long linesBefore = 0;
        int columns = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            int read = position < length ? RandomAccess.Read(handle, buffer.AsSpan(filled), position) : 0;
            position += read;
            filled += read;
            bool end = read == 0;

            // Cut after the chunkRows-th line ending, or the last one in the buffer; at the end of the file, take all.
            int cut = end ? filled : CutAfterLines(buffer.AsSpan(0, filled), chunkRows);
            while (cut > 0)
            {
                var text = buffer.AsSpan(0, cut);
                long first = linesBefore + 1;
                var table = CsvReader.Parse<double>(text, path, () => first);
                linesBefore += text.Count((byte)'\n');
                if (table.Rows > 0)
                {
                    if (columns == 0)
                    {
                        columns = table.Columns;
                    }
                    else if (table.Columns != columns)
                    {
                        throw new DataFormatException(path, first, 0, $"expected {columns} fields, found {table.Columns}");
                    }

                    yield return table;
                }

                buffer.AsSpan(cut, filled - cut).CopyTo(buffer);
                filled -= cut;
                cut = end ? filled : CutAfterLines(buffer.AsSpan(0, filled), chunkRows);
            }

            if (end)
            {
                yield break;
            }
        }
    }

    /// <summary>The length of the prefix ending after the <paramref name="lines"/>-th newline, or after the last newline; 0 if none.</summary>
    private static int CutAfterLines(ReadOnlySpan<byte> text, int lines)
    {
        int cut = 0;
        int seen = 0;
        while (seen < lines)
        {
            int next = text[cut..].IndexOf((byte)'\n');
            if (next < 0)
            {
                break;
            }

            cut += next + 1;
            seen++;
        }

        return cut;
    }
}
