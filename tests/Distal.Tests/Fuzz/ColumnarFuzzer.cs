using Distal.Arrow;
using Distal.Parquet;

namespace Distal.Tests.Fuzz;

/// <summary>
/// Generates Parquet and Arrow IPC files with the formats' writers, reads them back bit for bit, and reads mutations
/// of them: corrupted footers (the last 64 bytes: metadata length and magic), headers, pages and batches anywhere,
/// truncations, insertions and appended bytes. A mutated file must read or fail with a one-line input error; neither
/// format carries checksums by default, so a flipped mantissa bit in a data page reads as another finite number,
/// which the outcome counts show ("read, values changed") and docs/fuzzing.md explains.
/// </summary>
internal static class ColumnarFuzzer
{
    public static string CheckParquet(Random random, string path) => Check(random, path, ParquetFormat.Instance);

    public static string CheckArrow(Random random, string path) => Check(random, path, ArrowFormat.Instance);

    private static string Check(Random random, string path, TableFormat format)
    {
        int rows = random.Next(1, 200), columns = random.Next(1, 5);
        var values = new double[rows * columns];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = FuzzValues.Double(random);
        }

        var table = new Table<double>(values, rows, columns);
        format.Write(path, table);
        byte[] original = File.ReadAllBytes(path);
        byte[] input = original;
        string how = "as written";
        switch (random.Next(8))
        {
            case 0:
            case 1:
                input = Mutator.MutateRange(random, original, Math.Max(0, original.Length - 64), original.Length, 3);
                how = "footer changed";
                break;
            case 2:
            case 3:
                input = Mutator.MutateRange(random, original, 0, original.Length, 1 + random.Next(4));
                how = "bytes changed";
                break;
            case 4:
                input = original[..random.Next(original.Length)];
                how = "truncated";
                break;
            case 5:
                int at = random.Next(original.Length);
                input = [.. original[..at], .. Enumerable.Range(0, random.Next(1, 9)).Select(_ => (byte)random.Next(256)), .. original[at..]];
                how = "bytes inserted";
                break;
            case 6:
                input = Mutator.MutateRange(random, original, 0, Math.Min(original.Length, 16), 2);
                how = "header changed";
                break;
        }

        File.WriteAllBytes(path, input);
        string outcome = Read(format, path, input, ReferenceEquals(input, original) ? table : null, () => format.ReadShare<double>(path, 0, 1, TableReadOptions.Default));
        if (random.Next(3) == 0)
        {
            int shares = random.Next(2, 4);
            int chunk = random.Next(1, 300);
            Read(format, path, input, ReferenceEquals(input, original) ? table : null, () => Join(Enumerable.Range(0, shares).SelectMany(s => format.ReadChunks<double>(path, s, shares, chunk, TableReadOptions.Default)
                .Select(t => new Table<double>(t.Span.ToArray(), t.Rows, t.Columns)))));
        }

        return $"{format.Name} {how}, {(outcome == "read" && !ReferenceEquals(input, original) ? Compare(table, path, format) : outcome)}";
    }

    private static string Read(TableFormat format, string path, byte[] input, Table<double>? expected, Func<Table<double>> read)
    {
        Table<double> table;
        try
        {
            table = read();
        }
        catch (DistalException e)
        {
            if (expected is not null)
            {
                throw FuzzRun.Wrong($"{format.Name}: a file as its writer wrote it was rejected: {e.Message}");
            }

            if (e.Kind is not (FailureKind.Input or FailureKind.Usage) || e.Message.Contains('\n', StringComparison.Ordinal) || !e.Message.StartsWith(path, StringComparison.Ordinal))
            {
                throw FuzzRun.Wrong($"{format.Name}: not a one-line input error naming the file: {e.Kind} '{e.Message}'");
            }

            return "rejected";
        }

        if (expected is not null && (table.Rows != expected.Rows || table.Columns != expected.Columns || FuzzValues.FirstDifference<double>(expected.Span, table.Span) >= 0))
        {
            throw FuzzRun.Wrong($"{format.Name}: the writer's {expected.Rows}×{expected.Columns} values read back as {table.Rows}×{table.Columns} or other bits");
        }

        foreach (double value in table.Span)
        {
            if (!double.IsFinite(value))
            {
                throw FuzzRun.Wrong($"{format.Name}: read a non-finite value ({value}) without an error ({input.Length} bytes)");
            }
        }

        return "read";
    }

    private static string Compare(Table<double> original, string path, TableFormat format)
    {
        var table = format.ReadShare<double>(path, 0, 1, TableReadOptions.Default);
        return table.Rows == original.Rows && table.Columns == original.Columns && FuzzValues.FirstDifference<double>(original.Span, table.Span) < 0
            ? "read, same values"
            : "read, values changed";
    }

    private static Table<double> Join(IEnumerable<Table<double>> parts)
    {
        var values = new List<double>();
        int rows = 0, columns = 0;
        foreach (var part in parts)
        {
            columns = part.Columns;
            rows += part.Rows;
            values.AddRange(part.Span.ToArray());
        }

        return new Table<double>(values.ToArray(), rows, columns);
    }
}
