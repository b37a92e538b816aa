using System.Numerics;
using Distal.Communication;
using Microsoft.Win32.SafeHandles;

namespace Distal.Data;

/// <summary>
/// One targets file (regression's dependent variables, naive Bayes' labels) read row for row with data spread over
/// the ranks in any way: rank r gets the targets' rows [R, R + n), where n is its own data rows and R the data rows of
/// the ranks before it. Planning is collective and cheap: every rank counts the rows of its own share of the targets
/// file (CSV: a scan for line ends, nothing parsed; .npy: from the header; other formats: by reading the share), so
/// the total is checked against the data's before anything is trained and every rank knows where each share starts.
/// A rank then reads only its rows, from the one or two shares that hold them, whole or in chunks of bounded size.
/// </summary>
internal sealed class RowAlignedInput
{
    private readonly long[] _shareStarts;

    private RowAlignedInput(string path, TableFormat format, long[] shareStarts, long firstRow, long rows)
    {
        Path = path;
        Format = format;
        _shareStarts = shareStarts;
        FirstRow = firstRow;
        Rows = rows;
    }

    /// <summary>The targets file.</summary>
    public string Path { get; }

    /// <summary>The targets file's format (by its extension).</summary>
    public TableFormat Format { get; }

    /// <summary>The index in the targets file of this rank's first row.</summary>
    public long FirstRow { get; }

    /// <summary>This rank's rows (as many as its data rows).</summary>
    public long Rows { get; }

    /// <summary>
    /// Collective: plans reading <paramref name="path"/> for this rank's <paramref name="dataRows"/> data rows. When the
    /// targets file's rows and the data's differ in number, every rank fails with one input error naming both.
    /// </summary>
    public static RowAlignedInput Plan(Communicator communicator, string path, long dataRows, string dataName)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        int size = communicator.Size;
        TableFormat format = communicator.Collectively(() => DataFile.FormatOf(path));
        long count = communicator.Collectively(() => CountShareRows(path, format, communicator.Rank, size, TableReadOptions.Default));
        long[] shareRows = communicator.Allgather(count);
        long[] dataCounts = communicator.Allgather(dataRows);
        var starts = new long[size + 1];
        for (int s = 0; s < size; s++)
        {
            starts[s + 1] = starts[s] + shareRows[s];
        }

        long total = dataCounts.Sum();
        communicator.Collectively(() =>
        {
            if (starts[size] != total)
            {
                throw new DistalException(FailureKind.Input, $"{path}: {starts[size]} rows for the {total} rows of {dataName}");
            }
        });

        return new RowAlignedInput(path, format, starts, dataCounts.Take(communicator.Rank).Sum(), dataRows);
    }

    /// <summary>How messages name the data of <paramref name="inputs"/>: the file, or how many there are.</summary>
    public static string NameOf(IReadOnlyList<string> inputs)
        => inputs.Count == 1 ? inputs[0] : $"the {inputs.Count} INPUT files";

    /// <summary>
    /// The rows of share <paramref name="share"/> of <paramref name="shares"/> of a file, as the format's readers split
    /// it (not collective). CSV and .npy are counted without reading values; other formats read the share.
    /// </summary>
    public static long CountShareRows(string path, TableFormat format, int share, int shares, TableReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(format);
        switch (format.Name)
        {
            case "csv":
                return CsvRowLocator.CountShareRows(path, share, shares);
            case "npy":
                using (SafeFileHandle handle = CsvReader.Open(path))
                {
                    long rows = NpyHeader.Read(handle, path).Rows;
                    return (rows * (share + 1) / shares) - (rows * share / shares);
                }

            default:
                long counted = 0;
                foreach (Table<double> chunk in format.ReadChunks<double>(path, share, shares, 1 << 16, options))
                {
                    counted += chunk.Rows;
                }

                return counted;
        }
    }

    /// <summary>
    /// This rank's rows in chunks of about <paramref name="chunkRows"/> (lazy and not collective: enumerate inside
    /// <c>Collectively</c>). A chunk is valid until the next is asked for; one reader's chunk is in memory at a time.
    /// </summary>
    public IEnumerable<Table<T>> ReadChunks<T>(int chunkRows)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        long end = FirstRow + Rows;
        long at = FirstRow;
        int columns = -1;
        for (int share = 0; share + 1 < _shareStarts.Length && at < end; share++)
        {
            if (_shareStarts[share + 1] <= at)
            {
                continue;
            }

            // The share's rows are numbered from its start; those before this rank's first row are skipped.
            long row = _shareStarts[share];
            foreach (Table<T> chunk in Format.ReadChunks<T>(Path, share, _shareStarts.Length - 1, chunkRows, TableReadOptions.Default))
            {
                long from = Math.Max(at, row);
                long to = Math.Min(end, row + chunk.Rows);
                if (from < to)
                {
                    columns = columns < 0 ? chunk.Columns : columns == chunk.Columns ? columns
                        : throw new DistalException(FailureKind.Input, $"{Path}: rows from {from} have {chunk.Columns} columns, the rows before {columns}");
                    yield return chunk.SliceRows((int)(from - row), (int)(to - from));
                    at = to;
                }

                row += chunk.Rows;
                if (at == end)
                {
                    yield break;
                }
            }
        }

        if (at < end)
        {
            throw new DistalException(FailureKind.Input, $"{Path}: the file has fewer rows than counted before (did it change while it was read?)");
        }
    }

    /// <summary>This rank's rows as one table (not collective); with no rows, a table of 0 rows and 0 columns.</summary>
    public Table<T> Read<T>()
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Table<T>? whole = null;
        int filled = 0;
        foreach (Table<T> chunk in ReadChunks<T>(1 << 16))
        {
            whole ??= Table<T>.Create(checked((int)Rows), chunk.Columns);
            chunk.Span.CopyTo(whole.Span[(filled * chunk.Columns)..]);
            filled += chunk.Rows;
        }

        return whole ?? Table<T>.Empty(0);
    }
}
