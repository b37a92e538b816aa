using System.Globalization;
using System.Text;

namespace Distal.Tests.Fuzz;

/// <summary>
/// Generates daal4py CSR files (3 lines: row offsets, column indices, values; base 0 or 1; blanks, trailing commas,
/// CRLF, blank lines), files written by <see cref="CsrFile.Write{T}"/>, and byte-level mutations, and judges every
/// read against <see cref="Oracle"/>, an independent reading of the documented format.
/// </summary>
internal static class CsrFuzzer
{
    /// <summary>The rows a correct reader gives (zero-based), or null when it must fail.</summary>
    public sealed record Verdict(string? Error, int[] Lengths, long[] Indices, double[] Values);

    public static string Check(Random random, string path)
    {
        byte[] input;
        int kind = random.Next(10);
        int? columns = random.Next(3) == 0 ? null : random.Next(1, 12);
        if (kind == 0)
        {
            var dense = RandomDense(random, columns ?? random.Next(1, 12));
            CsrFile.Write(path, CsrTable.FromDense(dense));
            input = File.ReadAllBytes(path);
        }
        else
        {
            input = Encoding.UTF8.GetBytes(Structured(random, columns ?? random.Next(1, 12)));
        }

        if (kind >= 4)
        {
            input = Mutator.Mutate(random, input, random.Next(3) == 0 ? 4 : 1);
        }

        File.WriteAllBytes(path, input);
        var verdict = Oracle(input, columns);
        Expect(verdict, input, () => CsrFile.Read<double>(path, columns), "CsrFile.Read");
        if (random.Next(2) == 0)
        {
            int shares = random.Next(2, 6);
            Expect(verdict, input, () => Join(Enumerable.Range(0, shares).Select(s => CsrFile.ReadShare<double>(path, s, shares, columns)).ToList()), $"{shares} shares");
        }

        return (kind >= 4 ? "mutated, " : "generated, ") + (verdict.Error is null ? "read" : "rejected");
    }

    /// <summary>The format as docs/data-formats.md states it, read line by line.</summary>
    public static Verdict Oracle(byte[] input, int? columns)
    {
        var lines = Encoding.UTF8.GetString(input).Split('\n').Where(l => l.Trim(' ', '\t', '\r').Length > 0).ToList();
        if (lines.Count != 3)
        {
            return Reject($"{lines.Count} content lines");
        }

        var fields = lines.Select(Fields).ToList();
        if (fields.Any(f => f is null))
        {
            return Reject("an empty field");
        }

        var offsets = new List<long>();
        foreach (string field in fields[0]!)
        {
            if (!long.TryParse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long offset))
            {
                return Reject($"offset '{field}'");
            }

            offsets.Add(offset);
        }

        long b = offsets[0];
        if (b is not (0 or 1) || offsets.Zip(offsets.Skip(1)).Any(p => p.Second < p.First) || offsets[^1] - b <= 0)
        {
            return Reject("offsets");
        }

        long nonZeros = offsets[^1] - b;
        if (fields[1]!.Count != nonZeros || fields[2]!.Count != nonZeros)
        {
            return Reject("counts");
        }

        var indices = new long[nonZeros];
        var values = new double[nonZeros];
        for (int k = 0; k < nonZeros; k++)
        {
            if (!long.TryParse(fields[1]![k], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long index)
                || index - b < 0 || index - b > int.MaxValue || (columns is { } width && index - b >= width))
            {
                return Reject($"index '{fields[1]![k]}'");
            }

            indices[k] = index - b;
            if (!double.TryParse(fields[2]![k], NumberStyles.Float, CultureInfo.InvariantCulture, out values[k]) || !double.IsFinite(values[k]))
            {
                return Reject($"value '{fields[2]![k]}'");
            }
        }

        var lengths = offsets.Zip(offsets.Skip(1)).Select(p => (int)(p.Second - p.First)).ToArray();
        return new Verdict(null, lengths, indices, values);
    }

    private static Verdict Reject(string why) => new(why, [], [], []);

    /// <summary>A line's fields without surrounding blanks, a trailing comma's empty last field dropped; null when a field is empty.</summary>
    private static List<string>? Fields(string line)
    {
        var fields = line.Split(',').Select(f => f.Trim(' ', '\t', '\r')).ToList();
        if (fields.Count > 1 && fields[^1].Length == 0)
        {
            fields.RemoveAt(fields.Count - 1);
        }

        return fields.Any(f => f.Length == 0) ? null : fields;
    }

    private static void Expect(Verdict verdict, byte[] input, Func<CsrTable<double>> read, string how)
    {
        CsrTable<double> table;
        try
        {
            table = read();
        }
        catch (DistalException e)
        {
            if (verdict.Error is null)
            {
                throw FuzzRun.Wrong($"{how} rejected a valid file ({e.Message}): {FuzzValues.Show(input)}");
            }

            if (e.Kind != FailureKind.Input || e.Message.Contains('\n', StringComparison.Ordinal))
            {
                throw FuzzRun.Wrong($"{how}: not a one-line input error: {e.Kind} '{e.Message}'");
            }

            return;
        }

        if (verdict.Error is not null)
        {
            throw FuzzRun.Wrong($"{how} read {table.Rows} rows from a file the oracle rejects ({verdict.Error}): {FuzzValues.Show(input)}");
        }

        var offsets = table.RowOffsets.ToArray();
        var lengths = Enumerable.Range(0, table.Rows).Select(i => offsets[i + 1] - offsets[i]).ToArray();
        var indices = table.ColumnIndices.ToArray().Select(i => (long)i - (table.Indexing == CsrIndexing.OneBased ? 1 : 0)).ToArray();
        if (!lengths.SequenceEqual(verdict.Lengths) || !indices.SequenceEqual(verdict.Indices) || FuzzValues.FirstDifference<double>(verdict.Values, table.Values.Span) >= 0)
        {
            throw FuzzRun.Wrong($"{how} read other rows than the oracle: {FuzzValues.Show(input)}");
        }
    }

    private static CsrTable<double> Join(List<CsrTable<double>> parts)
    {
        var offsets = new List<int> { 0 };
        var indices = new List<int>();
        var values = new List<double>();
        foreach (var part in parts)
        {
            var o = part.RowOffsets.Span;
            for (int i = 0; i < part.Rows; i++)
            {
                offsets.Add(offsets[^1] + o[i + 1] - o[i]);
            }

            indices.AddRange(part.ColumnIndices.ToArray().Select(i => part.Indexing == CsrIndexing.OneBased ? i - 1 : i));
            values.AddRange(part.Values.ToArray());
        }

        return new CsrTable<double>(offsets.ToArray(), indices.ToArray(), values.ToArray());
    }

    private static Table<double> RandomDense(Random random, int columns)
    {
        int rows = random.Next(1, 12);
        double density = random.NextDouble();
        var values = new double[rows * columns];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.NextDouble() < density ? FuzzValues.Double(random) : 0;
        }

        values[random.Next(values.Length)] = 1.5;
        return new Table<double>(values, rows, columns);
    }

    private static string Structured(Random random, int columns)
    {
        int rows = random.Next(1, 12);
        int b = random.Next(2);
        var offsets = new List<int> { b };
        var indices = new List<string>();
        var values = new List<string>();
        for (int i = 0; i < rows; i++)
        {
            var row = Enumerable.Range(0, columns).Where(_ => random.Next(3) == 0).ToList();
            foreach (int j in row)
            {
                indices.Add((j + b).ToString(CultureInfo.InvariantCulture));
                values.Add(FuzzValues.Spelling(random));
            }

            offsets.Add(offsets[^1] + row.Count);
        }

        if (indices.Count == 0)
        {
            indices.Add(b.ToString(CultureInfo.InvariantCulture));
            values.Add("2.5");
            offsets = offsets.Select((o, i) => i == 0 ? o : o + 1).ToList();
        }

        string newline = random.Next(3) == 0 ? "\r\n" : "\n";
        string Line(IEnumerable<string> fields) => string.Join(",", fields.Select(f => FuzzValues.Blanks(random) + f + FuzzValues.Blanks(random))) + (random.Next(3) == 0 ? "," : string.Empty);
        var text = new StringBuilder();
        foreach (string line in new[] { Line(offsets.Select(o => o.ToString(CultureInfo.InvariantCulture))), Line(indices), Line(values) })
        {
            while (random.Next(10) == 0)
            {
                text.Append(newline);
            }

            text.Append(line).Append(newline);
        }

        return text.ToString();
    }
}
