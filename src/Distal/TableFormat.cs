using System.Numerics;

namespace Distal;

/// <summary>
/// A file format that tables are read from (and, when <see cref="CanWrite"/>, written to). CSV and .npy are built
/// in; add-on packages bring more (Distal.Parquet, Distal.Arrow) without adding their dependencies to this
/// assembly. Register a format once with <see cref="DataFile.Register(TableFormat)"/>; from then on every path
/// with one of its <see cref="Extensions"/> is read with it, everywhere a path is accepted.
/// </summary>
public abstract class TableFormat
{
    /// <summary>Creates a format called <paramref name="name"/> for files ending in one of <paramref name="extensions"/>.</summary>
    /// <param name="name">The name used by <c>--input-format</c>, in lower case (<c>parquet</c>).</param>
    /// <param name="extensions">File name endings with their dot (<c>.parquet</c>), compared case-insensitively.</param>
    protected TableFormat(string name, params string[] extensions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(extensions);
        Name = name;
        Extensions = [.. extensions];
    }

    /// <summary>The format's name (<c>csv</c>, <c>npy</c>, <c>parquet</c>, <c>arrow</c>).</summary>
    public string Name { get; }

    /// <summary>The file name endings this format is chosen for.</summary>
    public IReadOnlyList<string> Extensions { get; }

    /// <summary>Whether the format can name its columns, so that <see cref="TableReadOptions.Columns"/> applies.</summary>
    public virtual bool HasColumnNames => false;

    /// <summary>Whether <see cref="Write{T}(string, Table{T})"/> is supported.</summary>
    public virtual bool CanWrite => false;

    /// <summary>
    /// Reads share <paramref name="share"/> of <paramref name="shares"/> of the file: disjoint shares in file order
    /// that together hold every row; a share may be empty but still has the file's column count when the format
    /// knows it.
    /// </summary>
    /// <typeparam name="T"><see cref="double"/> or <see cref="float"/>.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="share">Which share, 0 ≤ share &lt; shares.</param>
    /// <param name="shares">How many shares the file is split into.</param>
    /// <param name="options">Columns to select and threads to use.</param>
    /// <returns>The share's rows, row-major.</returns>
    /// <exception cref="DistalException">The file is missing, malformed or holds values the table cannot take.</exception>
    public abstract Table<T> ReadShare<T>(string path, int share, int shares, TableReadOptions options)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>;

    /// <summary>
    /// Reads the same rows as <see cref="ReadShare{T}(string, int, int, TableReadOptions)"/>, as consecutive chunks of
    /// about <paramref name="chunkRows"/> rows, so that a share larger than memory can be streamed into an online
    /// computation. The chunks may share one buffer: each is valid only until the next is requested. CSV and .npy
    /// hold one chunk in memory at a time; a format without its own chunked reader reads its whole share and hands it
    /// out in slices.
    /// </summary>
    /// <typeparam name="T"><see cref="double"/> or <see cref="float"/>.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="share">Which share, 0 ≤ share &lt; shares.</param>
    /// <param name="shares">How many shares the file is split into.</param>
    /// <param name="chunkRows">Rows per chunk (at least 1); a chunk may hold a few more or fewer.</param>
    /// <param name="options">Columns to select and threads to use.</param>
    /// <returns>The chunks, in file order; none when the share has no rows.</returns>
    /// <exception cref="DistalException">The file is missing, malformed or holds values the table cannot take.</exception>
    public virtual IEnumerable<Table<T>> ReadChunks<T>(string path, int share, int shares, int chunkRows, TableReadOptions options)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkRows);
        Table<T> whole = ReadShare<T>(path, share, shares, options);
        for (int start = 0; start < whole.Rows; start += chunkRows)
        {
            yield return whole.SliceRows(start, Math.Min(chunkRows, whole.Rows - start));
        }
    }

    /// <summary>Writes <paramref name="table"/> to <paramref name="path"/> (columns named <c>x0</c>, <c>x1</c>, … where the format names columns).</summary>
    /// <typeparam name="T"><see cref="double"/> or <see cref="float"/>.</typeparam>
    /// <param name="path">The file to create or overwrite.</param>
    /// <param name="table">The values.</param>
    /// <exception cref="NotSupportedException">The format cannot be written (<see cref="CanWrite"/> is false).</exception>
    public virtual void Write<T>(string path, Table<T> table)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => throw new NotSupportedException($"Distal cannot write {Name} files");

    /// <summary>Whether <paramref name="path"/> ends in one of this format's extensions.</summary>
    /// <param name="path">A file path.</param>
    /// <returns>True when the extension matches.</returns>
    public bool Matches(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        foreach (string extension in Extensions)
        {
            if (path.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The name of the column at <paramref name="index"/> when Distal writes a table: <c>x0</c>, <c>x1</c>, ….</summary>
    /// <param name="index">The 0-based column.</param>
    /// <returns>The name.</returns>
    public static string ColumnName(int index) => $"x{index}";

    /// <summary>
    /// Picks the positions of <paramref name="wanted"/> among <paramref name="available"/> (all of them, in order,
    /// when <paramref name="wanted"/> is null or empty); a name that is missing fails with a message listing the
    /// names the file has.
    /// </summary>
    /// <param name="path">The file, for messages.</param>
    /// <param name="available">The file's column names.</param>
    /// <param name="wanted">The selected names, or null for all.</param>
    /// <returns>The indices into <paramref name="available"/>.</returns>
    protected static int[] SelectColumns(string path, IReadOnlyList<string> available, IReadOnlyList<string>? wanted)
    {
        ArgumentNullException.ThrowIfNull(available);
        if (wanted is null || wanted.Count == 0)
        {
            return [.. Enumerable.Range(0, available.Count)];
        }

        int[] indices = new int[wanted.Count];
        for (int i = 0; i < wanted.Count; i++)
        {
            indices[i] = -1;
            for (int j = 0; j < available.Count; j++)
            {
                if (available[j] == wanted[i])
                {
                    indices[i] = j;
                    break;
                }
            }

            if (indices[i] < 0)
            {
                string names = string.Join(", ", available.Take(20)) + (available.Count > 20 ? ", …" : string.Empty);
                throw new DistalException(FailureKind.Usage, $"{path}: no column '{wanted[i]}' (the file has: {names})");
            }
        }

        return indices;
    }
}

/// <summary>What to read of a file, for <see cref="TableFormat.ReadShare{T}(string, int, int, TableReadOptions)"/>.</summary>
public sealed record TableReadOptions
{
    /// <summary>Reads every column with the default number of threads.</summary>
    public static TableReadOptions Default { get; } = new();

    /// <summary>Columns to read, by name and in this order (formats with column names only); null reads all.</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>Threads a reader may use for one share; 0 (the default) lets Distal choose from the cores and ranks.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Told the number of bytes of the file read, as they are read (possibly from several threads at once); for a
    /// progress display. CSV readers report; other formats may not.
    /// </summary>
    public IProgress<long>? Progress { get; init; }
}
