using Distal.Algorithms;

namespace Distal.Tests.Soak;

/// <summary>
/// A stream of generated rows that is never held whole: row i is a function of i alone (a counter-based hash), so
/// every pass over it sees the same rows, chunks come from one reused buffer, and the test keeps its own
/// compensated sums as an independent reference. Column j is μ_j + u_j with u uniform in [−1, 1); column 1 also
/// carries 0.5·u_0, so the columns correlate.
/// </summary>
internal sealed class GeneratedStream(long rows, int columns, int chunkRows) : IRowChunks<double>
{
    public static readonly double[] Means = [1e3, -5, 0.25, 42, 7, -1e2];

    public long Rows => rows;

    public int Columns => columns;

    public IEnumerable<Table<double>> Chunks()
    {
        var buffer = new double[chunkRows * columns];
        for (long start = 0; start < rows; start += chunkRows)
        {
            int n = (int)Math.Min(chunkRows, rows - start);
            Fill(start, n, buffer);
            yield return new Table<double>(buffer.AsMemory(0, n * columns), n, columns);
        }
    }

    public void Fill(long firstRow, int n, double[] buffer)
    {
        for (int i = 0; i < n; i++)
        {
            long row = firstRow + i;
            double u0 = Uniform(row, 0);
            for (int j = 0; j < columns; j++)
            {
                double u = j == 0 ? u0 : Uniform(row, j);
                buffer[(i * columns) + j] = Means[j % Means.Length] + u + (j == 1 ? 0.5 * u0 : 0);
            }
        }
    }

    /// <summary>Uniform in [−1, 1) from (row, column): splitmix64's finalizer, 53 bits.</summary>
    private static double Uniform(long row, int column)
    {
        ulong z = (ulong)row * 0x9E3779B97F4A7C15UL + (ulong)(column + 1) * 0xD1B54A32D192ED03UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return ((z >> 11) * (1.0 / (1UL << 53)) * 2) - 1;
    }
}
