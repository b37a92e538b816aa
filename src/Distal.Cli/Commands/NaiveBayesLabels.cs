using Distal.Communication;
using Distal.Data;

namespace Distal.Cli.Commands;

/// <summary>
/// The labelled rows of a naive Bayes training run on one rank: the label is the data's last column (split off
/// here), or comes from `--labels` files — one per rank, or one file whose rows follow the data's rows across the
/// ranks (each rank reads only its rows of it, in any input format). Keeps where each came from, so a bad value can be named by file and line.
/// </summary>
internal sealed class NaiveBayesLabels
{
    private NaiveBayesLabels(InputTable features, Table<double> labels, InputOrigin? dataOrigin, InputOrigin? labelsOrigin)
    {
        Features = features;
        Labels = labels;
        DataOrigin = dataOrigin;
        LabelsOrigin = labelsOrigin;
    }

    public InputTable Features { get; }

    /// <summary>n × 1 labels as doubles (converted to float for float input when training).</summary>
    public Table<double> Labels { get; }

    public InputOrigin? DataOrigin { get; }

    /// <summary>The labels file, or null when the labels were the data's last column.</summary>
    public InputOrigin? LabelsOrigin { get; }

    /// <summary>Splits or reads this rank's labels, collectively (a bad labels file is one agreed error).</summary>
    public static NaiveBayesLabels Resolve(RankContext context, InputTable data, IReadOnlyList<string> labelFiles)
    {
        var communicator = context.Communicator;
        var dataOrigin = data.Origin ?? DenseOrigin(context, data.Rows);
        if (data.GeneratedLabels is { } generated)
        {
            return new NaiveBayesLabels(data, generated, null, null);
        }

        if (labelFiles.Count == 0)
        {
            // The data's width is agreed first, so a CSR rank whose rows never store the label column still knows it.
            int width = communicator.Allreduce(data.Rows > 0 ? data.Columns : 0, ReduceOperation.Max);
            var (features, labels) = communicator.Collectively(() => LastColumn.Split(data, width, dataOrigin));
            return new NaiveBayesLabels(features, labels, dataOrigin, null);
        }

        communicator.Collectively(() =>
        {
            if (labelFiles.Count != communicator.Size && labelFiles.Count != 1)
            {
                throw new DistalException(FailureKind.Usage, $"{labelFiles.Count} --labels files for {communicator.Size} ranks: give one per rank, or one for all rows");
            }
        });

        if (labelFiles.Count != communicator.Size)
        {
            // One file for all rows: each rank reads the rows that match its own (the row counts are checked first).
            var (plan, rows) = context.ReadTargetRows<double>(labelFiles[0], data.Rows);
            var aligned = communicator.Collectively(() => OneColumn(plan.Path, rows));
            return new NaiveBayesLabels(data, aligned, dataOrigin, new InputOrigin(plan.Path, plan.FirstRow));
        }

        var labelsOrigin = new InputOrigin(labelFiles[communicator.Rank], 0);
        var table = communicator.Collectively(() =>
        {
            var read = OneColumn(labelsOrigin.Path, DataFile.Read<double>(labelsOrigin.Path));
            return read.Rows == data.Rows ? read
                : throw new DistalException(FailureKind.Input, $"{labelsOrigin.Path}: {read.Rows} labels for {data.Rows} rows of {dataOrigin.Path}");
        });
        return new NaiveBayesLabels(data, table, dataOrigin, labelsOrigin);
    }

    /// <summary>Labels are one column; a rank without rows gets an empty one.</summary>
    private static Table<double> OneColumn(string path, Table<double> read)
        => read.Rows == 0 ? Table<double>.Empty(1)
            : read.Columns == 1 ? read
            : throw new DistalException(FailureKind.Input, $"{path}: labels must be one column, not {read.Columns}");

    /// <summary>
    /// After an agreed training failure on a bad count or label: every rank looks for the first bad value in its own
    /// rows and the agreed error names the file and line it came from. Returns when no rank finds one.
    /// </summary>
    public void LocateFault(RankContext context, int classes)
        => context.Communicator.Collectively(() =>
        {
            var check = new Algorithms.ClassFeatureSums(classes, Math.Max(1, Features.Columns));
            try
            {
                if (Features.SparseDouble is { } sparse)
                {
                    check.AddSparse(sparse, Labels.Span);
                }
                else if (Features.SparseSingle is { } sparseSingle)
                {
                    check.AddSparse(sparseSingle, FloatLabels().Span);
                }
                else
                {
                    check.AddDense<double>(Features.AsDouble().Span, Labels.Span);
                }
            }
            catch (Algorithms.InvalidTrainingRowException e)
            {
                throw Located(e);
            }
        });

    /// <summary>The labels as float (for float input).</summary>
    public Table<float> FloatLabels()
    {
        var labels = Table<float>.Create(Labels.Rows, 1);
        for (int i = 0; i < Labels.Rows; i++)
        {
            labels.Span[i] = (float)Labels.Span[i];
        }

        return labels;
    }

    private DistalException Located(Algorithms.InvalidTrainingRowException e)
    {
        var origin = e.InLabels ? LabelsOrigin ?? DataOrigin : DataOrigin;
        if (origin is null)
        {
            return e;
        }

        long row = origin.FirstRow + e.Row;
        if (origin.CsrValuesLine > 0)
        {
            string cell = e.InLabels && LabelsOrigin is null ? $"row {row}, the label column" : $"row {row}";
            return new DistalException(FailureKind.Input, $"{origin.Path}:{origin.CsrValuesLine}: {cell}: {e.Fault}");
        }

        if (DataFile.FormatOf(origin.Path).Name != "csv")
        {
            return new DistalException(FailureKind.Input, $"{origin.Path}: row {row}: {e.Fault}");
        }

        long line = CsvRowLocator.LineOfRow(origin.Path, row);
        return new DistalException(FailureKind.Input, $"{origin.Path}:{line}: {e.Fault}");
    }

    /// <summary>Dense data: the rank's file, and its first row's index in it when one file is split across ranks.</summary>
    private static InputOrigin DenseOrigin(RankContext context, int rows)
    {
        var communicator = context.Communicator;
        if (context.Inputs.Count == communicator.Size)
        {
            return new InputOrigin(context.Inputs[communicator.Rank], 0);
        }

        long first = communicator.ExclusiveScan((long)rows);
        return new InputOrigin(context.Inputs.Count > 0 ? context.Inputs[0] : "input", communicator.Rank == 0 ? 0 : first);
    }
}
