using System.Globalization;
using Distal;

/// <summary>
/// Runs an SPMD example body on every rank: the MPI world when started by mpiexec/mpirun, otherwise
/// <c>--ranks N</c> embedded ranks (default 4). Exit code 0 when every rank's checks pass, 1 when one fails,
/// 2 when the computation itself fails (the same error on every rank).
/// </summary>
internal static class SpmdExampleHost
{
    public static int Run(string[] args, Func<Spmd, string, bool> body)
    {
        int ranks = int.Parse(Option(args, "--ranks") ?? "4", CultureInfo.InvariantCulture);
        try
        {
            string data = DataDirectory(args);
            using var world = Spmd.Init();
            bool[] passed = world.Size > 1 ? [body(world, data)] : Spmd.RunLocal(ranks, s => body(s, data));
            return passed.All(p => p) ? 0 : 1;
        }
        catch (Exception e) when (e is DistalException or IOException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    /// <summary>Reads a headerless numeric CSV file ourselves (as the Python example loads it with numpy).</summary>
    public static Table<double> ReadCsv(string path)
    {
        var rows = File.ReadLines(path)
            .Where(line => line.Trim().Length > 0)
            .Select(line => line.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())
            .ToArray();
        return Table.FromRows(rows);
    }

    /// <summary>All four files of a distributed data set, concatenated: the batch input.</summary>
    public static Table<double> ReadAll(string data, string pattern)
        => Table.FromRows(Enumerable.Range(1, 4).SelectMany(i => ReadCsv(Path.Combine(data, string.Format(CultureInfo.InvariantCulture, pattern, i))).ToRowArrays()).ToArray());

    /// <summary>
    /// Rank <paramref name="rank"/>'s rows of <paramref name="all"/> split as upstream's examples split one file:
    /// contiguous, the first rows % size ranks one row more.
    /// </summary>
    public static Table<double> Share(Table<double> all, int rank, int size)
    {
        int baseRows = all.Rows / size;
        int extra = all.Rows % size;
        int start = (rank * baseRows) + Math.Min(rank, extra);
        return all.SliceRows(start, baseRows + (rank < extra ? 1 : 0));
    }

    /// <summary>Columns [start, start + count) of a table (numpy's usecols), copied.</summary>
    public static Table<double> Columns(Table<double> table, int start, int count)
        => Table.FromRows(table.ToRowArrays().Select(row => row[start..(start + count)]).ToArray());

    /// <summary>
    /// Upstream's regression data as the Python examples load it (usecols): this rank's training file and the
    /// concatenation of all four, each as features (columns 0–9) and responses (10–11), and the test file's features.
    /// </summary>
    public static (Table<double> X, Table<double> Y, Table<double> AllX, Table<double> AllY, Table<double> TestX) RegressionData(string data, int rank)
    {
        var train = ReadCsv(Path.Combine(data, $"linear_regression_train_{rank + 1}.csv"));
        var all = ReadAll(data, "linear_regression_train_{0}.csv");
        var test = ReadCsv(Path.Combine(data, "linear_regression_test.csv"));
        return (Columns(train, 0, 10), Columns(train, 10, 2), Columns(all, 0, 10), Columns(all, 10, 2), Columns(test, 0, 10));
    }

    /// <summary>An upstream reference output (expected/NAME), as rows.</summary>
    public static Table<double> Expected(string data, string name) => ReadCsv(Path.Combine(data, "expected", name));

    /// <summary>max |a − b| / max(max |b|, floor) ≤ tolerance.</summary>
    public static bool Close(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double tolerance = 1e-10, double floor = 1e-300)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        double error = 0;
        double scale = floor;
        for (int i = 0; i < a.Length; i++)
        {
            error = Math.Max(error, Math.Abs(a[i] - b[i]));
            scale = Math.Max(scale, Math.Abs(b[i]));
        }

        return error <= tolerance * scale;
    }

    public static string Format(ReadOnlySpan<double> values)
        => "[" + string.Join(", ", values.ToArray().Select(v => v.ToString("G6", CultureInfo.InvariantCulture))) + "]";

    public static void Print(string name, Table<double> matrix, int maxRows = 4)
    {
        Console.WriteLine($"{name} ({matrix.Rows}×{matrix.Columns}):");
        for (int i = 0; i < Math.Min(maxRows, matrix.Rows); i++)
        {
            Console.WriteLine("  " + Format(matrix.Row(i)));
        }

        if (matrix.Rows > maxRows)
        {
            Console.WriteLine($"  ... {matrix.Rows - maxRows} more rows");
        }
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>--data DIR, else shared/daal4py-data found by walking up from the working and program directories.</summary>
    private static string DataDirectory(string[] args)
    {
        if (Option(args, "--data") is { } explicitDirectory)
        {
            return explicitDirectory;
        }

        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "shared", "daal4py-data");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException("shared/daal4py-data not found; pass --data DIR");
    }
}
