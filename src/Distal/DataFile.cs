using System.Numerics;
using Distal.Communication;
using Distal.Data;

namespace Distal;

/// <summary>
/// Reads and writes tables in Distal's input formats: headerless numeric CSV (daal4py's file input) and NumPy
/// .npy files. Files whose name ends in <c>.npy</c> are .npy; every other file is CSV. See docs/data-formats.md.
/// </summary>
public static class DataFile
{
    /// <summary>
    /// Reads a file as a table, choosing the format by the extension (<c>.npy</c>, a registered add-on format's
    /// extension such as <c>.parquet</c>, otherwise CSV).
    /// </summary>
    /// <typeparam name="T"><see cref="double"/> or <see cref="float"/>.</typeparam>
    /// <param name="path">The file.</param>
    /// <returns>The rows of the file; a file without rows gives a table with 0 rows.</returns>
    /// <exception cref="DataFormatException">A CSV file is malformed (the message names file, line and column).</exception>
    /// <exception cref="DistalException">The file is missing, unreadable, or not a supported .npy array.</exception>
    public static Table<T> Read<T>(string path)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => ReadShare<T>(path, 0, 1, DefaultThreads());

    /// <summary>
    /// Reads share <paramref name="share"/> of <paramref name="shares"/> of one file, so that every rank of an SPMD
    /// run can read its own part of one big file: <c>DataFile.ReadShare&lt;double&gt;(path, spmd.Rank, spmd.Size)</c>.
    /// The shares are disjoint, in file order, and together hold every row. For CSV, a share holds the rows whose
    /// first byte lies in its equal byte range, and only those bytes (plus one line) are read; for .npy, share s
    /// holds rows [s·R/shares, (s+1)·R/shares). A share may have no rows.
    /// </summary>
    /// <typeparam name="T"><see cref="double"/> or <see cref="float"/>.</typeparam>
    /// <param name="path">The file (.npy by extension, otherwise CSV).</param>
    /// <param name="share">Which share, 0 ≤ share &lt; shares.</param>
    /// <param name="shares">How many shares the file is split into.</param>
    /// <returns>This share's rows; line numbers in errors still count from the start of the file.</returns>
    /// <exception cref="DataFormatException">A malformed CSV row in this share.</exception>
    /// <exception cref="DistalException">The file is missing, unreadable, or not a supported .npy array.</exception>
    public static Table<T> ReadShare<T>(string path, int share, int shares)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => ReadShare<T>(path, share, shares, DefaultThreads());

    /// <summary>
    /// Reads headerless numeric CSV: one row per non-blank line, fields separated by commas. Accepts a trailing
    /// comma, CRLF line ends, blank lines, scientific notation, a leading '+' and spaces around fields. Values are
    /// correctly rounded: bit-equal to <see cref="double.Parse(string)"/> (or <see cref="float.Parse(string)"/>).
    /// </summary>
    /// <typeparam name="T"><see cref="double"/> or <see cref="float"/>.</typeparam>
    /// <param name="path">The file.</param>
    /// <returns>The rows of the file; a file without rows gives a table with 0 rows and 0 columns.</returns>
    /// <exception cref="DataFormatException">A ragged row, an empty field, or a field that is not a finite number.</exception>
    /// <exception cref="DistalException">The file is missing or unreadable.</exception>
    public static Table<T> ReadCsv<T>(string path)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        return CsvReader.Read<T>(path, DefaultThreads());
    }

    /// <summary>
    /// Reads a NumPy .npy file (format 1.0, 2.0 or 3.0) holding a C-order 1-D array (read as one column) or 2-D
    /// array of '&lt;f8' or '&lt;f4'. Values are converted to <typeparamref name="T"/> when the types differ.
    /// </summary>
    /// <typeparam name="T"><see cref="double"/> or <see cref="float"/>.</typeparam>
    /// <param name="path">The file.</param>
    /// <returns>The array as a table.</returns>
    /// <exception cref="DistalException">The file is missing, truncated, Fortran-ordered, or of another dtype or rank.</exception>
    public static Table<T> ReadNpy<T>(string path)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        return NpyReader.Read<T>(path);
    }

    /// <summary>
    /// Writes <paramref name="table"/> as a NumPy .npy file (format 1.0, C order): '&lt;f8' for a double table,
    /// '&lt;f4' for a float table. <c>numpy.load</c> reads it back bit for bit.
    /// </summary>
    /// <typeparam name="T"><see cref="double"/> or <see cref="float"/>.</typeparam>
    /// <param name="path">The file to create or overwrite.</param>
    /// <param name="table">The values.</param>
    /// <exception cref="DistalException">The file cannot be written.</exception>
    public static void WriteNpy<T>(string path, Table<T> table)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        NpyWriter.Write(path, table);
    }

    /// <summary>
    /// Writes <paramref name="table"/> as headerless CSV with round-trip formatting, so that
    /// <see cref="ReadCsv{T}(string)"/> gives back the same values bit for bit.
    /// </summary>
    /// <typeparam name="T"><see cref="double"/> or <see cref="float"/>.</typeparam>
    /// <param name="path">The file to create or overwrite.</param>
    /// <param name="table">The values.</param>
    /// <exception cref="DistalException">The file cannot be written.</exception>
    public static void WriteCsv<T>(string path, Table<T> table)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        CsvWriter.Write(path, table);
    }

    /// <summary>The formats files are read in: CSV and .npy, then every registered add-on format, in order.</summary>
    public static IReadOnlyList<TableFormat> Formats
    {
        get
        {
            lock (RegisteredFormats)
            {
                return [.. RegisteredFormats];
            }
        }
    }

    /// <summary>
    /// Adds a format (from an add-on package, e.g. <c>DataFile.Register(ParquetFormat.Instance)</c>), so that files
    /// ending in its extensions are read with it everywhere a path is accepted. Registering a format again, or
    /// another format of the same name, replaces the earlier one.
    /// </summary>
    /// <param name="format">The format.</param>
    public static void Register(TableFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        lock (RegisteredFormats)
        {
            RegisteredFormats.RemoveAll(f => f.Name == format.Name);
            RegisteredFormats.Add(format);
        }
    }

    /// <summary>
    /// The format of <paramref name="path"/> by its extension; CSV when no format claims it. A Parquet or Arrow file
    /// whose add-on is not registered fails here with a message naming the package, rather than as malformed CSV.
    /// </summary>
    /// <param name="path">A file path.</param>
    /// <returns>The format.</returns>
    /// <exception cref="DistalException">The extension belongs to an add-on format that is not registered.</exception>
    public static TableFormat FormatOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        foreach (TableFormat format in Formats)
        {
            if (format.Matches(path))
            {
                return format;
            }
        }

        foreach ((string extension, string name, string package) in AddOnExtensions)
        {
            if (path.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                throw new DistalException(FailureKind.Usage, $"{path}: reading {name} files needs the {package} package (DataFile.Register({name}Format.Instance))");
            }
        }

        return CsvFormat.Instance;
    }

    /// <summary>The registered format called <paramref name="name"/> (<c>csv</c>, <c>npy</c>, <c>parquet</c>, <c>arrow</c>), case-insensitively.</summary>
    /// <param name="name">The format's name.</param>
    /// <returns>The format.</returns>
    /// <exception cref="DistalException">No registered format has that name.</exception>
    public static TableFormat FindFormat(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        IReadOnlyList<TableFormat> formats = Formats;
        return formats.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new DistalException(FailureKind.Usage, $"unknown input format '{name}' (known: {string.Join(", ", formats.Select(f => f.Name))})");
    }

    /// <summary>Reads share <paramref name="share"/> of <paramref name="shares"/> of a file in its format (by extension unless given).</summary>
    internal static Table<T> ReadShare<T>(string path, int share, int shares, int threads, TableFormat? format = null, IReadOnlyList<string>? columns = null, IProgress<long>? progress = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        return (format ?? FormatOf(path)).ReadShare<T>(path, share, shares, new TableReadOptions { Threads = threads, Columns = columns, Progress = progress });
    }

    private static readonly List<TableFormat> RegisteredFormats = [CsvFormat.Instance, NpyFormat.Instance];

    /// <summary>Extensions of the add-on formats, so that a missing add-on gets a clear message.</summary>
    private static readonly (string Extension, string Name, string Package)[] AddOnExtensions =
        [(".parquet", "Parquet", "Distal.Parquet"), (".arrow", "Arrow", "Distal.Arrow"), (".feather", "Arrow", "Distal.Arrow"), (".ipc", "Arrow", "Distal.Arrow")];

    internal static int DefaultThreads() => ThreadBudget.For(Spmd.Ambient ?? SelfCommunicator.Instance);
}
