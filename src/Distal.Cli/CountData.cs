using Distal.Communication;

namespace Distal.Cli;

/// <summary>
/// Generated training data for naive Bayes benchmarks: integer labels and Poisson counts whose rate depends on the
/// class and the feature (1 + (c + j) mod 5), dense or CSR (each entry stored with probability <c>density</c>, then
/// 1 + a Poisson count). Every value is a function of its global position and the seed, so the data are the same for
/// any number of ranks; each rank holds its share (the first rows % size ranks one row more).
/// </summary>
internal static class CountData
{
    public static (long First, int Local) Share(Communicator communicator, int rows)
    {
        int size = communicator.Size;
        int rank = communicator.Rank;
        int local = (rows / size) + (rank < rows % size ? 1 : 0);
        long first = ((long)rank * (rows / size)) + Math.Min(rank, rows % size);
        return (first, local);
    }

    public static Table<double> Labels(long first, int local, int classes, ulong seed)
    {
        var labels = Table<double>.Create(local, 1);
        for (int i = 0; i < local; i++)
        {
            labels.Span[i] = Label(first + i, classes, seed);
        }

        return labels;
    }

    public static Table<double> Dense(long first, int local, int columns, int classes, ulong seed)
    {
        var table = Table<double>.Create(local, columns);
        var values = table.Span;
        for (int i = 0; i < local; i++)
        {
            int c = Label(first + i, classes, seed);
            for (int j = 0; j < columns; j++)
            {
                values[(i * columns) + j] = Poisson(1 + ((c + j) % 5), Uniform(seed + 1, (ulong)(((first + i) * columns) + j)));
            }
        }

        return table;
    }

    public static CsrTable<double> Sparse(long first, int local, int columns, int classes, double density, ulong seed)
    {
        var offsets = new int[local + 1];
        var indices = new List<int>();
        var values = new List<double>();
        for (int i = 0; i < local; i++)
        {
            int c = Label(first + i, classes, seed);
            for (int j = 0; j < columns; j++)
            {
                ulong position = (ulong)(((first + i) * columns) + j);
                if (Uniform(seed + 2, position) < density)
                {
                    indices.Add(j);
                    values.Add(1 + Poisson(1 + ((c + j) % 5), Uniform(seed + 1, position)));
                }
            }

            offsets[i + 1] = indices.Count;
        }

        return new CsrTable<double>(offsets, indices.ToArray(), values.ToArray(), columns);
    }

    private static int Label(long row, int classes, ulong seed) => (int)(Bits(seed, (ulong)row) % (ulong)classes);

    /// <summary>The Poisson(rate) count whose cumulative probability first reaches u (inversion).</summary>
    private static double Poisson(double rate, double u)
    {
        double probability = Math.Exp(-rate);
        double cumulative = probability;
        int k = 0;
        while (u > cumulative && k < 1000)
        {
            k++;
            probability *= rate / k;
            cumulative += probability;
        }

        return k;
    }

    private static double Uniform(ulong seed, ulong position) => (Bits(seed, position) >> 11) * (1.0 / (1UL << 53));

    // SplitMix64 of (seed, position).
    private static ulong Bits(ulong seed, ulong position)
    {
        ulong z = (seed * 0xD1B54A32D192ED03UL) + ((position + 1) * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
