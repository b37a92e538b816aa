using System.Numerics;

namespace Distal.Data;

/// <summary>Headerless numeric CSV, the format of every file no other format claims.</summary>
internal sealed class CsvFormat : TableFormat
{
    public static readonly CsvFormat Instance = new();

    private CsvFormat()
        : base("csv", ".csv", ".txt")
    {
    }

    public override bool CanWrite => true;

    public override Table<T> ReadShare<T>(string path, int share, int shares, TableReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        RejectColumnNames(this, path, options);
        return CsvReader.ReadShare<T>(path, share, shares, options.Threads > 0 ? options.Threads : DataFile.DefaultThreads(), options.Progress);
    }

    public override IEnumerable<Table<T>> ReadChunks<T>(string path, int share, int shares, int chunkRows, TableReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkRows);
        RejectColumnNames(this, path, options);
        return CsvChunkReader.ReadChunks<T>(path, share, shares, chunkRows, options.Progress);
    }

    public override void Write<T>(string path, Table<T> table) => CsvWriter.Write(path, table);

    /// <summary>CSV and .npy have no column names, so a selection by name cannot apply.</summary>
    internal static void RejectColumnNames(TableFormat format, string path, TableReadOptions options)
    {
        if (options.Columns is { Count: > 0 })
        {
            throw new DistalException(FailureKind.Usage, $"{path}: {format.Name} files have no column names; --columns selects columns of Parquet and Arrow files");
        }
    }
}

/// <summary>NumPy .npy arrays of '&lt;f8' or '&lt;f4'.</summary>
internal sealed class NpyFormat : TableFormat
{
    public static readonly NpyFormat Instance = new();

    private NpyFormat()
        : base("npy", ".npy")
    {
    }

    public override bool CanWrite => true;

    public override Table<T> ReadShare<T>(string path, int share, int shares, TableReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        CsvFormat.RejectColumnNames(this, path, options);
        return NpyReader.ReadShare<T>(path, share, shares);
    }

    public override IEnumerable<Table<T>> ReadChunks<T>(string path, int share, int shares, int chunkRows, TableReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkRows);
        CsvFormat.RejectColumnNames(this, path, options);
        return NpyReader.ReadChunks<T>(path, share, shares, chunkRows);
    }

    public override void Write<T>(string path, Table<T> table) => NpyWriter.Write(path, table);
}
