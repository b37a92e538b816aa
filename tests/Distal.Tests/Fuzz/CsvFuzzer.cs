using System.Globalization;
using System.Numerics;
using System.Text;
using Distal.Data;

namespace Distal.Tests.Fuzz;

/// <summary>
/// Generates CSV inputs — valid tables of random spellings (blanks, '+', trailing commas, CRLF, blank lines, a BOM),
/// files written by <see cref="DataFile.WriteCsv{T}"/>, and byte-level mutations of both — and judges every read
/// against <see cref="Oracle{T}"/>, an independent line-by-line reading of the documented grammar that takes each
/// field's value from <c>double.Parse</c> / <c>float.Parse</c> of its text.
/// </summary>
internal static class CsvFuzzer
{
    /// <summary>What a correct reader must do with a text: give these values, or fail at this 1-based line.</summary>
    public sealed record Verdict<T>(T[] Values, int Rows, int Columns, long ErrorLine, string? Error, bool WidthError);

    /// <summary>Generates one input, reads it in one to three ways, and returns how it ended.</summary>
    public static string Check(Random random, string path)
    {
        byte[] input;
        Table<double>? written = null;
        int kind = random.Next(10);
        if (kind == 0)
        {
            written = RandomTable(random);
            DataFile.WriteCsv(path, written);
            input = File.ReadAllBytes(path);
        }
        else
        {
            input = Encoding.UTF8.GetBytes(Structured(random));
            if (kind >= 4)
            {
                input = Mutator.Mutate(random, input, random.Next(3) == 0 ? 4 : 1);
            }

            File.WriteAllBytes(path, input);
        }

        var verdict = Oracle<double>(input);

        if (written is not null && FuzzValues.FirstDifference<double>(written.Span, verdict.Values) is int w and >= 0)
        {
            throw FuzzRun.Wrong($"the writer's text does not parse back to its values at {w}");
        }

        Expect(verdict, input, () => DataFile.Read<double>(path), "DataFile.Read");
        switch (random.Next(6))
        {
            case 0:
                Expect(Oracle<float>(input), input, () => DataFile.Read<float>(path), "DataFile.Read<float>");
                break;
            case 1:
                int threads = random.Next(2, 4);
                Expect(verdict, input, () => CsvReader.ReadShare<double>(path, 0, 1, threads, 1 + random.Next(64)), $"{threads} threads, small pieces");
                break;
            case 2:
                int shares = random.Next(2, 6);
                ExpectJoined(verdict, input, Enumerable.Range(0, shares).Select(s => (Func<Table<double>>)(() => DataFile.ReadShare<double>(path, s, shares))), $"{shares} shares");
                break;
            case 3:
                int chunk = random.Next(1, 8);
                var csv = DataFile.FindFormat("csv");
                ExpectJoined(verdict, input, [() => Join(csv.ReadChunks<double>(path, 0, 1, chunk, TableReadOptions.Default))], $"chunks of {chunk} rows");
                break;
        }

        return (kind >= 4 ? "mutated, " : "generated, ") + (verdict.Error is null ? "read" : verdict.WidthError ? "rejected: ragged" : "rejected: not a number");
    }

    /// <summary>The documented language, read independently of the reader.</summary>
    public static Verdict<T> Oracle<T>(byte[] input)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ReadOnlySpan<byte> text = input;
        if (text.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            text = text[3..];
        }

        var values = new List<T>();
        int columns = 0, rows = 0;
        long lineNumber = 0;
        while (!text.IsEmpty)
        {
            lineNumber++;
            int newline = text.IndexOf((byte)'\n');
            var line = newline < 0 ? text : text[..newline];
            text = newline < 0 ? default : text[(newline + 1)..];
            if (line.EndsWith("\r"u8))
            {
                line = line[..^1];
            }

            var fields = Encoding.UTF8.GetString(line).Split(',').ToList();
            if (fields[^1].Trim(' ', '\t', '\r').Length == 0)
            {
                if (fields.Count == 1)
                {
                    continue;
                }

                fields.RemoveAt(fields.Count - 1);
            }

            foreach (string field in fields)
            {
                if (!T.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out T value) || !T.IsFinite(value))
                {
                    return new Verdict<T>([], 0, 0, lineNumber, $"line {lineNumber}: '{field}' is not a finite number", false);
                }

                values.Add(value);
            }

            if (rows > 0 && fields.Count != columns)
            {
                return new Verdict<T>([], 0, 0, lineNumber, $"line {lineNumber}: {fields.Count} fields, {columns} expected", true);
            }

            columns = fields.Count;
            rows++;
        }

        return new Verdict<T>([.. values], rows, columns, 0, null, false);
    }

    private static void Expect<T>(Verdict<T> verdict, byte[] input, Func<Table<T>> read, string how)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Table<T> table;
        try
        {
            table = read();
        }
        catch (DataFormatException e)
        {
            if (verdict.Error is null)
            {
                throw FuzzRun.Wrong($"{how} rejected a valid file ({e.Message}): {FuzzValues.Show(input)}");
            }

            if (e.Line != verdict.ErrorLine || e.Message.Contains('\n', StringComparison.Ordinal))
            {
                throw FuzzRun.Wrong($"{how} reported '{e.Message}', the oracle {verdict.Error}: {FuzzValues.Show(input)}");
            }

            return;
        }

        if (verdict.Error is not null)
        {
            throw FuzzRun.Wrong($"{how} read {table.Rows}×{table.Columns} from a file the oracle rejects ({verdict.Error}): {FuzzValues.Show(input)}");
        }

        if (table.Rows != verdict.Rows || (verdict.Rows > 0 && table.Columns != verdict.Columns) || FuzzValues.FirstDifference<T>(verdict.Values, table.Span) is >= 0)
        {
            int at = FuzzValues.FirstDifference<T>(verdict.Values, table.Span);
            throw FuzzRun.Wrong($"{how} read {table.Rows}×{table.Columns}, expected {verdict.Rows}×{verdict.Columns}; first different value at {at}: {FuzzValues.Show(input)}");
        }
    }

    private static void ExpectJoined(Verdict<double> verdict, byte[] input, IEnumerable<Func<Table<double>>> parts, string how)
    {
        var values = new List<double>();
        int rows = 0;
        var widths = new HashSet<int>();
        foreach (var part in parts)
        {
            Table<double> table;
            try
            {
                table = part();
            }
            catch (DataFormatException e)
            {
                if (verdict.Error is null)
                {
                    throw FuzzRun.Wrong($"{how}: a part rejected a valid file ({e.Message}): {FuzzValues.Show(input)}");
                }

                return;
            }

            rows += table.Rows;
            values.AddRange(table.Span.ToArray());
            if (table.Rows > 0)
            {
                widths.Add(table.Columns);
            }
        }

        // Rows of another width in another share are found when the ranks agree on the width, not by the reader.
        bool agreed = widths.Count <= 1;
        if (verdict.Error is not null && !(verdict.WidthError && !agreed))
        {
            throw FuzzRun.Wrong($"{how}: every part read a file the oracle rejects ({verdict.Error}): {FuzzValues.Show(input)}");
        }

        if (verdict.Error is null && (rows != verdict.Rows || FuzzValues.FirstDifference<double>(verdict.Values, values.ToArray()) >= 0))
        {
            throw FuzzRun.Wrong($"{how}: the parts hold {rows} rows, not {verdict.Rows}, or other values: {FuzzValues.Show(input)}");
        }
    }

    private static Table<double> Join(IEnumerable<Table<double>> chunks)
    {
        var rows = new List<double[]>();
        int columns = 0;
        foreach (var chunk in chunks)
        {
            columns = chunk.Columns;
            rows.AddRange(chunk.ToRowArrays());
        }

        return rows.Count == 0 ? Table<double>.Empty(columns) : Table.FromRows(rows);
    }

    private static Table<double> RandomTable(Random random)
    {
        int rows = random.Next(1, 30), columns = random.Next(1, 8);
        var values = new double[rows * columns];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = FuzzValues.Double(random);
        }

        return new Table<double>(values, rows, columns);
    }

    private static string Structured(Random random)
    {
        int rows = random.Next(0, 25), columns = random.Next(1, 9);
        string newline = random.Next(3) == 0 ? "\r\n" : "\n";
        bool trailingComma = random.Next(4) == 0;
        var text = new StringBuilder();
        if (random.Next(10) == 0)
        {
            text.Append('\ufeff');
        }

        for (int i = 0; i < rows; i++)
        {
            while (random.Next(8) == 0)
            {
                text.Append(FuzzValues.Blanks(random)).Append(newline);
            }

            for (int j = 0; j < columns; j++)
            {
                text.Append(FuzzValues.Blanks(random)).Append(FuzzValues.Spelling(random)).Append(FuzzValues.Blanks(random));
                if (j < columns - 1 || trailingComma)
                {
                    text.Append(',');
                }
            }

            if (i < rows - 1 || random.Next(2) == 0)
            {
                text.Append(newline);
            }
        }

        return text.ToString();
    }
}
