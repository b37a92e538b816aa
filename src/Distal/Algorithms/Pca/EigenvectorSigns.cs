namespace Distal.Algorithms;

/// <summary>
/// The deterministic sign rule of <see cref="Pca.IsDeterministic"/>, the one oneDAL applies (and upstream's reference
/// output expected/pca.csv follows): each eigenvector is flipped so that its largest-magnitude component (the first
/// one, on a tie) is positive.
/// </summary>
internal static class EigenvectorSigns
{
    public static void MakeLargestComponentPositive(Span<double> rows, int columns)
    {
        for (int r = 0; r < rows.Length / columns; r++)
        {
            var row = rows.Slice(r * columns, columns);
            int largest = 0;
            for (int j = 1; j < columns; j++)
            {
                if (Math.Abs(row[j]) > Math.Abs(row[largest]))
                {
                    largest = j;
                }
            }

            if (row[largest] < 0)
            {
                foreach (ref double value in row)
                {
                    value = -value;
                }
            }
        }
    }
}
