using System.Numerics;

namespace Distal.Columnar;

/// <summary>
/// What the columnar add-on readers (Parquet, Arrow) share: which rows a share holds, and turning column chunks into
/// a row-major table. Linked into each add-on as source, so that the core assembly gains no public surface for it.
/// </summary>
internal static class ColumnarShare
{
    /// <summary>Opens a file for reading, turning a missing or unreadable file into a one-line input error.</summary>
    public static FileStream OpenRead(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DistalException(FailureKind.Input, $"{path}: file not found");
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new DistalException(FailureKind.Input, $"{path}: {e.Message}");
        }
    }

    /// <summary>
    /// The one-line input error for a file the format library could not decode. Library messages may span lines
    /// (ArgumentOutOfRangeException appends "Actual value was …") or carry bytes of a damaged file, so only the first
    /// line is kept, with control characters shown as '?'.
    /// </summary>
    public static DistalException Unreadable(string path, string what, Exception e)
    {
        string first = e.Message.Split('\n', 2)[0].Trim();
        return new(FailureKind.Input, $"{path}: {what}: {new string(first.Select(c => char.IsControl(c) ? '?' : c).ToArray())}");
    }

    /// <summary>Rows [share·R/shares, (share+1)·R/shares): equal shares whatever the row groups or batches are.</summary>
    public static (long First, long End) RowRange(long totalRows, int share, int shares)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(share);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(share, shares);
        return (totalRows * share / shares, totalRows * (share + 1) / shares);
    }

    /// <summary>
    /// Converts <paramref name="source"/> into column <paramref name="column"/> of the column-major
    /// <paramref name="staging"/> block (<paramref name="rows"/> per column); fails on a value that is not finite in
    /// <typeparamref name="T"/>, naming the file, the column and the 0-based row of the file.
    /// </summary>
    public static void Stage<TSource, T>(ReadOnlySpan<TSource> source, Span<T> staging, int rows, int column, string path, string name, long firstFileRow)
        where TSource : INumberBase<TSource>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Span<T> destination = staging.Slice(column * rows, source.Length);
        for (int i = 0; i < source.Length; i++)
        {
            T value = T.CreateChecked(source[i]);
            if (!T.IsFinite(value))
            {
                throw new DistalException(FailureKind.Input, $"{path}: column '{name}', row {firstFileRow + i}: {source[i]} is not a finite {typeof(T).Name.ToLowerInvariant()}");
            }

            destination[i] = value;
        }
    }

    /// <summary>Fails on a missing value: Distal's tables have no missing values.</summary>
    public static DistalException MissingValue(string path, string name, long fileRow)
        => new(FailureKind.Input, $"{path}: column '{name}', row {fileRow}: missing value (null)");

    /// <summary>
    /// Copies rows [<paramref name="from"/>, <paramref name="from"/> + <paramref name="count"/>) of the column-major
    /// staging block into rows starting at <paramref name="tableRow"/> of the row-major table. Blocks of 64 rows keep
    /// both sides in L1 while transposing.
    /// </summary>
    public static void Transpose<T>(ReadOnlySpan<T> staging, int stagingRows, int from, int count, Span<T> table, int columns, int tableRow)
        where T : unmanaged
    {
        const int Block = 64;
        for (int start = 0; start < count; start += Block)
        {
            int n = Math.Min(Block, count - start);
            for (int c = 0; c < columns; c++)
            {
                ReadOnlySpan<T> column = staging.Slice((c * stagingRows) + from + start, n);
                int target = ((tableRow + start) * columns) + c;
                for (int i = 0; i < n; i++)
                {
                    table[target + (i * columns)] = column[i];
                }
            }
        }
    }
}
