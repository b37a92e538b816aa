namespace Distal.Tests.NaiveBayes;

/// <summary>Naive Bayes test data.</summary>
internal static class NaiveBayesData
{
    /// <summary>The features and the label (the last column) of an upstream file.</summary>
    public static (Table<double> X, Table<double> Y) Split(Table<double> table)
    {
        int p = table.Columns - 1;
        var x = Table<double>.Create(table.Rows, p);
        var y = Table<double>.Create(table.Rows, 1);
        for (int i = 0; i < table.Rows; i++)
        {
            table.Row(i)[..p].CopyTo(x.Row(i));
            y[i, 0] = table[i, p];
        }

        return (x, y);
    }

    /// <summary>Integer counts, a third of them zero, with labels cycling through the classes.</summary>
    public static (Table<double> X, Table<double> Y) Counts(Random random, int rows, int columns, int classes)
    {
        var x = Table<double>.Create(rows, columns);
        var y = Table<double>.Create(rows, 1);
        for (int i = 0; i < rows; i++)
        {
            int c = i % classes;
            y[i, 0] = c;
            for (int j = 0; j < columns; j++)
            {
                x[i, j] = random.Next(3) == 0 ? 0 : random.Next(1, 5 + (3 * ((c + j) % 3)));
            }
        }

        return (x, y);
    }
}
