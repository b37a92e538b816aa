using System.Numerics;
using Distal.Data;

namespace Distal;

/// <summary>
/// Reads and writes daal4py's 3-line CSR files: line 1 the n + 1 row offsets, line 2 the column indices, line 3 the
/// values, comma-separated. daal4py writes them one-based; a file whose first offset is 0 is read as zero-based.
/// See docs/data-formats.md.
/// </summary>
public static class CsrFile
{
    /// <summary>Reads a whole CSR file.</summary>
    /// <typeparam name="T"><see cref="double"/> or <see cref="float"/>.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="columns">The table's width; null infers it from the largest column index (a lower bound).</param>
    /// <returns>The rows as a zero-based CSR table.</returns>
    /// <exception cref="DataFormatException">The file is malformed (the message names file and line).</exception>
    /// <exception cref="DistalException">The file is missing or unreadable.</exception>
    public static CsrTable<T> Read<T>(string path, int? columns = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => ReadShare<T>(path, 0, 1, columns);

    /// <summary>
    /// Reads share <paramref name="share"/> of <paramref name="shares"/> of a CSR file: rows
    /// [share·n/shares, (share+1)·n/shares). The shares are disjoint, in file order, and together hold every row. Only
    /// this share's offsets, indices and values are parsed; the rest of the file is scanned for separators.
    /// </summary>
    /// <typeparam name="T"><see cref="double"/> or <see cref="float"/>.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="share">Which share, 0 ≤ share &lt; shares.</param>
    /// <param name="shares">How many shares the file is split into.</param>
    /// <param name="columns">The table's width; null infers it from this share's largest column index (a lower bound).</param>
    /// <returns>This share's rows as a zero-based CSR table.</returns>
    /// <exception cref="DataFormatException">The file is malformed (the message names file and line).</exception>
    /// <exception cref="DistalException">The file is missing or unreadable.</exception>
    public static CsrTable<T> ReadShare<T>(string path, int share, int shares, int? columns = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        return CsrReader.ReadShare<T>(path, share, shares, columns).Table;
    }

    /// <summary>Writes <paramref name="table"/> as a one-based 3-line CSR file that daal4py and <see cref="Read{T}"/> read.</summary>
    /// <typeparam name="T"><see cref="double"/> or <see cref="float"/>.</typeparam>
    /// <param name="path">The file to create or overwrite.</param>
    /// <param name="table">The rows.</param>
    /// <exception cref="DistalException">The file cannot be written.</exception>
    public static void Write<T>(string path, CsrTable<T> table)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        CsrWriter.Write(path, table);
    }

    /// <summary>Whether <paramref name="path"/> names a CSR file (by its extension <c>.csr</c>, case-insensitively).</summary>
    internal static bool IsCsr(string path) => path.EndsWith(".csr", StringComparison.OrdinalIgnoreCase);
}
