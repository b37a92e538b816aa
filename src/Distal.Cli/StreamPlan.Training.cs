using Distal.Algorithms;
using Distal.Communication;
using Distal.Data;

namespace Distal.Cli;

/// <summary>
/// Where the targets of a streamed training come from: the last <see cref="LastColumns"/> columns of the data
/// (`--responses K`, or naive Bayes' label column), or <see cref="Files"/> read row for row with the data — one per
/// rank, or one file for all rows, which <see cref="StreamPlan.Prepare(StreamTarget)"/> aligns with the ranks' rows
/// (<see cref="Aligned"/>).
/// </summary>
internal sealed record StreamTarget(int LastColumns, IReadOnlyList<string> Files, string What)
{
    public static StreamTarget Columns(int count, string what) => new(count, [], what);

    public static StreamTarget FromFiles(IReadOnlyList<string> files, string what) => new(0, files, what);

    /// <summary>This rank's rows of the one targets file for all rows, once planned; else null.</summary>
    public RowAlignedInput? Aligned { get; init; }
}

/// <summary>Out-of-core training: the data and its targets streamed together in row-aligned chunks.</summary>
internal sealed partial class StreamPlan
{
    /// <summary>
    /// Streams this rank's rows and their targets into a streaming training and finalizes it (collective): only a
    /// chunk of each and the partial result are in memory. A failure on any rank is the same error on every rank.
    /// </summary>
    public TResult Train<TResult>(SupervisedAlgorithm<TResult> algorithm, StreamTarget target)
    {
        target = Prepare(target);
        return AsFloat ? Train<float, TResult>(algorithm, target) : Train<double, TResult>(algorithm, target);
    }

    /// <summary>Rows of this rank that the last <see cref="Train{TResult}(SupervisedAlgorithm{TResult}, StreamTarget)"/> streamed.</summary>
    public long TrainedRows { get; private set; }

    /// <summary>
    /// Collective: with one targets file for the rows of several ranks, counts this rank's data rows (CSV: line ends
    /// only) and plans which rows of the targets file it reads, checking that both files have as many rows; other
    /// targets are returned as they are.
    /// </summary>
    public StreamTarget Prepare(StreamTarget target)
    {
        if (target.Aligned is not null || target.Files.Count != 1 || Communicator.Size == 1)
        {
            return target;
        }

        long rows = Communicator.Collectively(() =>
        {
            var (path, share, shares) = ShareOfThisRank();
            return RowAlignedInput.CountShareRows(path, Source.Format ?? DataFile.FormatOf(path), share, shares, new TableReadOptions { Columns = Source.Columns });
        });
        return target with { Aligned = RowAlignedInput.Plan(Communicator, target.Files[0], rows, RowAlignedInput.NameOf(Inputs)) };
    }

    /// <summary>
    /// This rank's training rows and targets read again, widened to double (a second pass, e.g. for R²); lazy and not
    /// collective: enumerate inside <c>Collectively</c>. <paramref name="target"/> must be prepared.
    /// </summary>
    public IEnumerable<(Table<double> Data, Table<double> Target)> PairsAgain(StreamTarget target)
    {
        if (AsFloat)
        {
            foreach (var (data, labels) in Pairs<float>(target, null))
            {
                yield return (data.ToDouble(), labels.ToDouble());
            }
        }
        else
        {
            foreach (var pair in Pairs<double>(target, null))
            {
                yield return pair;
            }
        }
    }

    private IEnumerable<(Table<T> Data, Table<T> Target)> Pairs<T>(StreamTarget target, ProgressLine? progress)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
        => target.Files.Count > 0 ? FromFiles<T>(target, progress) : SplitColumns<T>(target, progress);

    private TResult Train<T, TResult>(SupervisedAlgorithm<TResult> algorithm, StreamTarget target)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        SupervisedOnlineComputation<TResult> online = algorithm.CreateOnline();
        using ProgressLine? progress = StartProgress();
        TrainedRows = 0;
        Communicator.Collectively(() =>
        {
            long first = 0;
            foreach (var (data, labels) in Pairs<T>(target, progress))
            {
                progress?.AddRows(data.Rows);
                try
                {
                    if (typeof(T) == typeof(float))
                    {
                        online.Add((Table<float>)(object)data, (Table<float>)(object)labels);
                    }
                    else
                    {
                        online.Add((Table<double>)(object)data, (Table<double>)(object)labels);
                    }
                }
                catch (InvalidTrainingRowException e)
                {
                    // The exact row is not known (the engine splits a chunk over threads): name the chunk's rows.
                    var (path, share, shares) = ShareOfThisRank();
                    string of = shares == 1 ? string.Empty : $" of share {share} of {shares}";
                    throw new DistalException(FailureKind.Input, $"{path}: rows {first}–{first + data.Rows - 1}{of} (from 0): {e.Cause}");
                }

                first += data.Rows;
            }

            TrainedRows = first;
        });
        return online.Finalize();
    }

    /// <summary>Each chunk split into its first columns and its last <c>LastColumns</c> (copied into buffers reused from chunk to chunk).</summary>
    private IEnumerable<(Table<T> Data, Table<T> Target)> SplitColumns<T>(StreamTarget target, ProgressLine? progress)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        int k = target.LastColumns;
        T[] features = [];
        T[] targets = [];
        foreach (Table<T> chunk in ChunksOfThisRank<T>(progress))
        {
            if (chunk.Rows == 0)
            {
                continue;
            }

            int p = chunk.Columns - k;
            if (p < 1)
            {
                throw new DistalException(FailureKind.Input, $"{ShareOfThisRank().Path}: {chunk.Columns} column(s): {target.What} leaves no feature");
            }

            if (features.Length < chunk.Rows * p)
            {
                features = new T[chunk.Rows * p];
                targets = new T[chunk.Rows * k];
            }

            var x = new Table<T>(features.AsMemory(0, chunk.Rows * p), chunk.Rows, p);
            var y = new Table<T>(targets.AsMemory(0, chunk.Rows * k), chunk.Rows, k);
            for (int i = 0; i < chunk.Rows; i++)
            {
                var row = chunk.Row(i);
                row[..p].CopyTo(x.Row(i));
                row[p..].CopyTo(y.Row(i));
            }

            yield return (x, y);
        }
    }

    /// <summary>
    /// The data's chunks and the target file's, cut to the same rows (no copy: slices of both readers' chunks): a rank's
    /// own targets file, or its planned rows of the one file for all rows.
    /// </summary>
    private IEnumerable<(Table<T> Data, Table<T> Target)> FromFiles<T>(StreamTarget target, ProgressLine? progress)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        var (dataPath, _, _) = ShareOfThisRank();
        int size = Communicator.Size;
        string targetPath = target.Files.Count == size ? target.Files[Communicator.Rank]
            : target.Aligned?.Path ?? throw new DistalException(FailureKind.Usage, $"{target.What}: give one file per rank ({target.Files.Count} for {size} ranks), or one file for all rows");
        var targetChunks = target.Aligned is { } aligned && target.Files.Count != size
            ? aligned.ReadChunks<T>(ChunkRows)
            : DataFile.FormatOf(targetPath).ReadChunks<T>(targetPath, 0, 1, ChunkRows, TableReadOptions.Default);
        return RowAligned(ChunksOfThisRank<T>(progress), targetChunks, (rows, targetRows) => new DistalException(
            FailureKind.Input, $"{targetPath}: {targetRows} rows for the {rows} rows of {dataPath}"));
    }

    /// <summary>
    /// Pairs two streams of chunks row for row: each pair is the longest run of rows both current chunks still hold.
    /// A reader's chunk is valid until its next one is asked for, which happens only once every row of it was paired.
    /// When one stream ends first, the rest of the other is counted for the error.
    /// </summary>
    internal static IEnumerable<(Table<T> First, Table<T> Second)> RowAligned<T>(IEnumerable<Table<T>> first, IEnumerable<Table<T>> second, Func<long, long, Exception> mismatch)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        using var a = first.GetEnumerator();
        using var b = second.GetEnumerator();
        Table<T>? chunkA = null;
        Table<T>? chunkB = null;
        int atA = 0;
        int atB = 0;
        long rowsA = 0;
        long rowsB = 0;
        while (true)
        {
            chunkA = Next(a, chunkA, ref atA, ref rowsA);
            chunkB = Next(b, chunkB, ref atB, ref rowsB);
            if (chunkA is null || chunkB is null)
            {
                if (chunkA is null && chunkB is null)
                {
                    yield break;
                }

                while (a.MoveNext())
                {
                    rowsA += a.Current.Rows;
                }

                while (b.MoveNext())
                {
                    rowsB += b.Current.Rows;
                }

                throw mismatch(rowsA, rowsB);
            }

            int n = Math.Min(chunkA.Rows - atA, chunkB.Rows - atB);
            yield return (chunkA.SliceRows(atA, n), chunkB.SliceRows(atB, n));
            atA += n;
            atB += n;
        }

        // The current chunk while it has rows left, else the next non-empty one (null at the end).
        static Table<T>? Next(IEnumerator<Table<T>> chunks, Table<T>? current, ref int at, ref long rows)
        {
            while (current is null || at == current.Rows)
            {
                if (!chunks.MoveNext())
                {
                    return null;
                }

                current = chunks.Current;
                rows += current.Rows;
                at = 0;
            }

            return current;
        }
    }
}
