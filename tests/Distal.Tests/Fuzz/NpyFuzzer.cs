using System.Buffers.Binary;
using System.Text;

namespace Distal.Tests.Fuzz;

/// <summary>
/// Generates .npy inputs — files written by <see cref="DataFile.WriteNpy{T}"/>, hand-made headers (versions 1–3,
/// key orders, spacing, 1-D shapes, '&lt;f4'), and mutations of their headers, length fields and data — and judges
/// every read against <see cref="NpyOracle"/>, an independent reading of the header as the Python literal NumPy writes.
/// </summary>
internal static class NpyFuzzer
{
    private static readonly string[] HeaderTokens =
    [
        "'<f8'", "'<f4'", "'>f8'", "'=f8'", "'f8'", "'<i8'", "'|u1'", "'<f2'", "'<c16'", "'|O'", "[('a', '<f8')]", "True", "False",
        "()", "(0,)", "(0, 3)", "(3, 0)", "(-1, 2)", "(99999999999, 2)", "(2147483647, 2)", "(65536, 65536)", "(3, 2, 1)",
        "(3.0, 2)", "(3)", "(1, 1)", "'shape'", "'descr'", "'fortran_order'", "'extra': 1, ", "\\'", "\"", "{", "}", "(", ")",
        ",", ":", "\n", "\0",
    ];

    public static string Check(Random random, string path)
    {
        bool isFloat = random.Next(4) == 0;
        byte[] input = random.Next(3) == 0 ? Written(random, path, isFloat) : HandMade(random, isFloat);
        int kind = random.Next(10);
        int prefix = input.Length > 6 && input[6] == 1 ? 10 : 12;
        int dataOffset = (int)Math.Min(input.Length, prefix + (prefix == 10 ? BinaryPrimitives.ReadUInt16LittleEndian(input.AsSpan(8)) : BinaryPrimitives.ReadUInt32LittleEndian(input.AsSpan(8))));
        string how = "as written";
        switch (kind)
        {
            case 0:
            case 1:
                input = Mutator.MutateRange(random, input, 0, dataOffset, 3);
                how = "header bytes changed";
                break;
            case 2:
            case 3:
                input = ReplaceInHeader(random, input, prefix, dataOffset);
                how = "header token replaced";
                break;
            case 4:
                input = Mutator.MutateRange(random, input, 6, Math.Min(input.Length, prefix), 2);
                how = "version or length changed";
                break;
            case 5:
            case 6:
                input = Mutator.MutateRange(random, input, dataOffset, input.Length, 3);
                how = "data changed";
                break;
            case 7:
                input = input[..random.Next(input.Length + 1)];
                how = "truncated";
                break;
            case 8:
                input = [.. input, .. Enumerable.Range(0, random.Next(1, 20)).Select(_ => (byte)random.Next(256))];
                how = "bytes appended";
                break;
        }

        File.WriteAllBytes(path, input);
        var verdict = NpyOracle.Judge(input);
        Expect(verdict, input, () => DataFile.Read<double>(path), "DataFile.Read");
        if (random.Next(3) == 0)
        {
            int shares = random.Next(2, 5);
            Expect(verdict, input, () => Join(Enumerable.Range(0, shares).Select(s => DataFile.ReadShare<double>(path, s, shares))), $"{shares} shares");
        }
        else if (random.Next(2) == 0)
        {
            int chunk = random.Next(1, 6);
            Expect(verdict, input, () => Join(DataFile.FindFormat("npy").ReadChunks<double>(path, 0, 1, chunk, TableReadOptions.Default).Select(t => new Table<double>(t.Span.ToArray(), t.Rows, t.Columns))), $"chunks of {chunk}");
        }

        return $"{how}, {verdict.Outcome}";
    }

    private static void Expect(NpyOracle.Verdict verdict, byte[] input, Func<Table<double>> read, string how)
    {
        Table<double> table;
        try
        {
            table = read();
        }
        catch (DistalException e)
        {
            if (verdict.Outcome == "read")
            {
                throw FuzzRun.Wrong($"{how} rejected a valid .npy file ({e.Message}): {FuzzValues.Show(input)}");
            }

            if (e.Message.Contains('\n', StringComparison.Ordinal) || e.Kind != FailureKind.Input)
            {
                throw FuzzRun.Wrong($"{how}: not a one-line input error: {e.Kind} '{e.Message}'");
            }

            return;
        }

        if (verdict.Outcome == "rejected")
        {
            throw FuzzRun.Wrong($"{how} read {table.Rows}×{table.Columns} from a file the oracle rejects: {FuzzValues.Show(input)}");
        }

        if (verdict.Outcome.StartsWith("either", StringComparison.Ordinal) && verdict.Values.Length == 0)
        {
            // Outside the oracle's grammar: an accepted file must still take its values from its data bytes.
            if (table.Rows * table.Columns > 0)
            {
                var f8 = NpyOracle.Decode(input.AsSpan((int)verdict.DataOffset), Math.Min(table.Rows * table.Columns, (input.Length - (int)verdict.DataOffset) / 8), false);
                var f4 = NpyOracle.Decode(input.AsSpan((int)verdict.DataOffset), Math.Min(table.Rows * table.Columns, (input.Length - (int)verdict.DataOffset) / 4), true);
                if (FuzzValues.FirstDifference<double>(f8, table.Span) >= 0 && FuzzValues.FirstDifference<double>(f4, table.Span) >= 0)
                {
                    throw FuzzRun.Wrong($"{how} read values that are not the file's data bytes: {FuzzValues.Show(input)}");
                }
            }

            return;
        }

        if (table.Rows != verdict.Rows || table.Columns != verdict.Columns || FuzzValues.FirstDifference<double>(verdict.Values, table.Span) is int at and >= 0)
        {
            throw FuzzRun.Wrong($"{how} read {table.Rows}×{table.Columns}, expected {verdict.Rows}×{verdict.Columns}, or another value: {FuzzValues.Show(input)}");
        }
    }

    private static Table<double> Join(IEnumerable<Table<double>> parts)
    {
        var values = new List<double>();
        int rows = 0, columns = -1;
        foreach (var part in parts)
        {
            if (columns >= 0 && part.Columns != columns)
            {
                throw FuzzRun.Wrong($"parts of one file have {columns} and {part.Columns} columns");
            }

            columns = part.Columns;
            rows += part.Rows;
            values.AddRange(part.Span.ToArray());
        }

        return new Table<double>(values.ToArray(), rows, Math.Max(columns, 0));
    }

    private static byte[] Written(Random random, string path, bool isFloat)
    {
        int rows = random.Next(0, 12), columns = random.Next(1, 6);
        if (isFloat)
        {
            var values = Enumerable.Range(0, rows * columns).Select(_ => (float)FuzzValues.Double(random)).Select(v => float.IsFinite(v) ? v : 1f).ToArray();
            DataFile.WriteNpy(path, new Table<float>(values, rows, columns));
        }
        else
        {
            DataFile.WriteNpy(path, new Table<double>(Enumerable.Range(0, rows * columns).Select(_ => FuzzValues.Double(random)).ToArray(), rows, columns));
        }

        return File.ReadAllBytes(path);
    }

    private static byte[] HandMade(Random random, bool isFloat)
    {
        int rows = random.Next(1, 10), columns = random.Next(1, 5);
        bool vector = random.Next(4) == 0;
        string shape = vector ? $"({rows},{Space(random)})" : $"({rows},{Space(random)}{columns}{(random.Next(2) == 0 ? "," : string.Empty)})";
        string quote = random.Next(4) == 0 ? "\"" : "'";
        var entries = new List<string>
        {
            $"{quote}descr{quote}:{Space(random)}{quote}{(isFloat ? "<f4" : "<f8")}{quote}",
            $"'fortran_order':{Space(random)}False",
            $"'shape':{Space(random)}{shape}",
        };
        var ordered = entries.OrderBy(_ => random.Next()).ToList();
        string dict = "{" + Space(random) + string.Join("," + Space(random), ordered) + (random.Next(2) == 0 ? ", " : string.Empty) + "}";
        int version = random.Next(1, 4);
        int prefix = version == 1 ? 10 : 12;
        int padding = random.Next(3) == 0 ? 0 : (64 - ((prefix + dict.Length + 1) % 64)) % 64;
        string header = dict + new string(' ', padding) + (random.Next(5) == 0 ? string.Empty : "\n");
        byte[] headerBytes = Encoding.ASCII.GetBytes(header);
        int count = rows * (vector ? 1 : columns);
        var bytes = new List<byte>(Encoding.Latin1.GetBytes("\u0093NUMPY")) { (byte)version, 0 };
        bytes.AddRange(version == 1 ? BitConverter.GetBytes((ushort)headerBytes.Length) : BitConverter.GetBytes((uint)headerBytes.Length));
        bytes.AddRange(headerBytes);
        for (int i = 0; i < count; i++)
        {
            double value = FuzzValues.Double(random);
            bytes.AddRange(isFloat ? BitConverter.GetBytes(float.IsFinite((float)value) ? (float)value : 0.5f) : BitConverter.GetBytes(value));
        }

        return [.. bytes];
    }

    private static string Space(Random random) => random.Next(3) == 0 ? string.Empty : new string(' ', random.Next(1, 3));

    private static byte[] ReplaceInHeader(Random random, byte[] input, int prefix, int dataOffset)
    {
        if (dataOffset <= prefix)
        {
            return input;
        }

        string header = Encoding.Latin1.GetString(input, prefix, dataOffset - prefix);
        int at = random.Next(header.Length);
        int length = Math.Min(header.Length - at, random.Next(0, 8));
        string replaced = header[..at] + HeaderTokens[random.Next(HeaderTokens.Length)] + header[(at + length)..];
        byte[] newHeader = Encoding.Latin1.GetBytes(replaced);
        var bytes = new List<byte>(input.AsSpan(0, prefix).ToArray());
        // Keep the length field true to the new header, half the time: the other half tests a wrong one.
        if (random.Next(2) == 0)
        {
            if (prefix == 10 && newHeader.Length <= ushort.MaxValue)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.ToArray().AsSpan(8), (ushort)newHeader.Length);
                bytes[8] = (byte)newHeader.Length;
                bytes[9] = (byte)(newHeader.Length >> 8);
            }
            else if (prefix == 12)
            {
                bytes[8] = (byte)newHeader.Length;
                bytes[9] = (byte)(newHeader.Length >> 8);
                bytes[10] = (byte)(newHeader.Length >> 16);
                bytes[11] = (byte)(newHeader.Length >> 24);
            }
        }

        bytes.AddRange(newHeader);
        bytes.AddRange(input.AsSpan(dataOffset).ToArray());
        return [.. bytes];
    }
}
