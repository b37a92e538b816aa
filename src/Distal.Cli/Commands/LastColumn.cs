namespace Distal.Cli.Commands;

/// <summary>Splits the last column (the label, as daal4py's naive Bayes examples lay files out) off rows of data.</summary>
internal static class LastColumn
{
    /// <summary>Features (all columns but the last of <paramref name="width"/>) and the last column as labels.</summary>
    public static (InputTable Features, Table<double> Labels) Split(InputTable data, int width, InputOrigin origin)
    {
        if (width < 2)
        {
            throw new DistalException(FailureKind.Input, $"{origin.Path}: {width} column(s): naive Bayes needs at least one feature and the label in the last column (or give --labels)");
        }

        if (data.DenseDouble is { } d)
        {
            var (x, y) = Dense(d);
            return (new InputTable(x, origin), y);
        }

        if (data.DenseSingle is { } f)
        {
            var (x, y) = Dense(f);
            return (new InputTable(x, origin), y.ToDouble());
        }

        if (data.SparseDouble is { } sd)
        {
            var (x, y) = Sparse(sd, width);
            return (new InputTable(x, origin), y);
        }

        var (xs, ys) = Sparse(data.SparseSingle!, width);
        return (new InputTable(xs, origin), ys);
    }

    private static (Table<T> Features, Table<T> Labels) Dense<T>(Table<T> data)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        int p = data.Columns - 1;
        var features = Table<T>.Create(data.Rows, p);
        var labels = Table<T>.Create(data.Rows, 1);
        for (int i = 0; i < data.Rows; i++)
        {
            var row = data.Row(i);
            row[..p].CopyTo(features.Row(i));
            labels.Span[i] = row[p];
        }

        return (features, labels);
    }

    /// <summary>CSR rows: the stored values of column width − 1 are the labels (an unstored one is label 0).</summary>
    private static (CsrTable<T> Features, Table<double> Labels) Sparse<T>(CsrTable<T> data, int width)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        int label = width - 1;
        var offsets = new int[data.Rows + 1];
        var indices = new List<int>(data.NonZeros);
        var values = new List<T>(data.NonZeros);
        var labels = Table<double>.Create(data.Rows, 1);
        var sourceIndices = data.ColumnIndices.Span;
        var sourceValues = data.Values.Span;
        int b = (int)data.Indexing;
        for (int i = 0; i < data.Rows; i++)
        {
            var (start, end) = data.RowRange(i);
            for (int k = start; k < end; k++)
            {
                int column = sourceIndices[k] - b;
                if (column == label)
                {
                    labels.Span[i] = double.CreateTruncating(sourceValues[k]);
                }
                else
                {
                    indices.Add(column);
                    values.Add(sourceValues[k]);
                }
            }

            offsets[i + 1] = indices.Count;
        }

        return (new CsrTable<T>(offsets, indices.ToArray(), values.ToArray(), label), labels);
    }
}
