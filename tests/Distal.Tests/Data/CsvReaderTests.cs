using System.Globalization;
using System.Text;
using Distal.Data;

namespace Distal.Tests.Data;

public sealed class CsvReaderTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Accepts_every_documented_form()
    {
        string path = _directory.Write("forms.csv", "1,2,3\r\n+4, 5e0 ,-6.5E+1,\n\n  7 ,\t8,.9e-1\r\n \r\n\n");
        Table<double> table = CsvReader.Read<double>(path);
        Assert.Equal(3, table.Rows);
        Assert.Equal(3, table.Columns);
        Assert.Equal([1, 2, 3, 4, 5, -65, 7, 8, 0.09], table.Span.ToArray());
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_not_part_of_the_first_field()
    {
        string path = _directory.File("bom.csv");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. Encoding.ASCII.GetBytes("1,2\n3,x\n")]);
        var error = Assert.Throws<DataFormatException>(() => CsvReader.Read<double>(path));
        Assert.Equal($"{path}:2:3: 'x' is not a finite number", error.Message);
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. Encoding.ASCII.GetBytes("1,2\n3,4\n")]);
        Assert.Equal([1, 2, 3, 4], CsvReader.Read<double>(path).Span.ToArray());
        Assert.Equal([1, 2], CsvReader.Parse<double>(File.ReadAllBytes(path).AsSpan(0, 7), path, () => 1).Span.ToArray());
        Assert.Equal(0, CsvReader.Read<double>(_directory.Write("bom-only.csv", "\uFEFF")).Rows);
    }

    [Fact]
    public void Last_line_without_newline_is_a_row()
    {
        Table<double> table = CsvReader.Read<double>(_directory.Write("last.csv", "1,2\n3,4"));
        Assert.Equal([1, 2, 3, 4], table.Span.ToArray());
    }

    [Fact]
    public void Empty_and_blank_files_have_no_rows()
    {
        Assert.Equal(0, CsvReader.Read<double>(_directory.Write("empty.csv", string.Empty)).Rows);
        Assert.Equal(0, CsvReader.Read<double>(_directory.Write("blank.csv", "\n \r\n\t\n")).Rows);
    }

    [Fact]
    public void Float_tables_are_bit_equal_to_float_Parse()
    {
        string[] fields = ["0.1", "3.4028235e38", "1.4e-45", "16777217", "-2.5e-3", "0.30000001192092896"];
        Table<float> table = CsvReader.Read<float>(_directory.Write("float.csv", string.Join(',', fields) + "\n"));
        for (int i = 0; i < fields.Length; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(float.Parse(fields[i], CultureInfo.InvariantCulture)), BitConverter.SingleToInt32Bits(table[0, i]));
        }
    }

    [Theory]
    [InlineData("1,2\n3\n", "2:2: expected 2 fields, found 1")]
    [InlineData("1,2\n3,4,\n5,6,7\n", "3:5: expected 2 fields, found 3")]
    [InlineData("1,2\r\n3\r\n", "2:2: expected 2 fields, found 1")]
    [InlineData("1,abc\n", "1:3: 'abc' is not a finite number")]
    [InlineData("1, 2x\n", "1:3: '2x' is not a finite number")]
    [InlineData("1,,2\n", "1:3: empty field")]
    [InlineData(",1\n", "1:1: empty field")]
    [InlineData("1,2,,\n", "1:5: empty field")]
    [InlineData("1, \t,2\n", "1:3: empty field")]
    [InlineData("nan,1\n", "1:1: 'nan' is not a finite number")]
    [InlineData("1,NaN\n", "1:3: 'NaN' is not a finite number")]
    [InlineData("1,-Infinity\n", "1:3: '-Infinity' is not a finite number")]
    [InlineData("1,1e400\n", "1:3: '1e400' is not a finite number")]
    [InlineData("1,2\n\n\n3,x\n", "4:3: 'x' is not a finite number")]
    [InlineData("1,2\n3,4\n5,1e\n", "3:3: '1e' is not a finite number")]
    [InlineData("1;2\n", "1:1: '1;2' is not a finite number")]
    [InlineData("\"1\",2\n", "1:1: '\"1\"' is not a finite number")]
    public void Reports_file_line_column_and_cause(string text, string expected)
    {
        string path = _directory.Write("bad.csv", text);
        var error = Assert.Throws<DataFormatException>(() => CsvReader.Read<double>(path));
        Assert.Equal($"{path}:{expected}", error.Message);
        Assert.Equal(FailureKind.Input, error.Kind);
        Assert.Equal(path, error.Path);
    }

    [Fact]
    public void Long_fields_are_shortened_in_messages()
    {
        string path = _directory.Write("long.csv", "1," + new string('x', 100) + "\n");
        var error = Assert.Throws<DataFormatException>(() => CsvReader.Read<double>(path));
        Assert.Equal($"{path}:1:3: '{new string('x', 40)}…' is not a finite number", error.Message);
    }

    [Fact]
    public void Float_overflow_is_not_finite()
    {
        string path = _directory.Write("float-overflow.csv", "1,1e39\n");
        var error = Assert.Throws<DataFormatException>(() => CsvReader.Read<float>(path));
        Assert.Equal($"{path}:1:3: '1e39' is not a finite number", error.Message);
    }

    [Fact]
    public void Missing_file_is_named()
    {
        string path = _directory.File("missing.csv");
        var error = Assert.Throws<DistalException>(() => CsvReader.Read<double>(path));
        Assert.Equal($"{path}: file not found", error.Message);
        Assert.Equal(FailureKind.Input, error.Kind);
    }

    [Fact]
    public void Errors_in_a_later_share_give_file_global_lines()
    {
        var text = new StringBuilder();
        for (int i = 1; i <= 100; i++)
        {
            text.Append(i == 80 ? "1,oops" : $"{i},{i}").Append('\n');
        }

        string path = _directory.Write("share-error.csv", text.ToString());
        int before = CsvReader.ReadShare<double>(path, 0, 4).Rows + CsvReader.ReadShare<double>(path, 1, 4).Rows + CsvReader.ReadShare<double>(path, 2, 4).Rows;
        Assert.InRange(before, 50, 79);
        var error = Assert.Throws<DataFormatException>(() => CsvReader.ReadShare<double>(path, 3, 4));
        Assert.Equal($"{path}:80:3: 'oops' is not a finite number", error.Message);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void Threaded_parsing_reports_the_same_first_error(int threads)
    {
        var text = new StringBuilder();
        for (int i = 1; i <= 500; i++)
        {
            text.Append(i == 300 ? "1,2,3" : i == 400 ? "x,1" : $"{i},{i}").Append('\n');
        }

        string path = _directory.Write("threaded-error.csv", text.ToString());
        var error = Assert.Throws<DataFormatException>(() => CsvReader.ReadShare<double>(path, 0, 1, threads, 64));
        Assert.Equal($"{path}:300:5: expected 2 fields, found 3", error.Message);
    }

    [Fact]
    public void A_short_line_is_not_joined_with_the_next_into_one_row()
    {
        // "4.5" and "5.5,6.5" together hold the 3 fields of a row: a row parser that takes field starts from the
        // separators must still see that the line ends after the first field.
        string rows = string.Concat(Enumerable.Repeat("1.5,2.5,3.5\n", 10));
        string path = _directory.Write("short-then-long.csv", rows + "4.5\n5.5,6.5\n" + rows);
        var error = Assert.Throws<DataFormatException>(() => CsvReader.Read<double>(path));
        Assert.Equal($"{path}:11:4: expected 3 fields, found 1", error.Message);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Pieces_that_outgrow_their_estimated_range_still_join_in_file_order(int threads)
    {
        // The pieces' ranges of the shared table are sized from the density of the first 64 KiB: here sparse lines
        // (one value per ~100 bytes), then dense ones (one per ~4 bytes), so every piece holds far more values than
        // its range and must move to an array of its own; the table must still be every value, in file order.
        var text = new StringBuilder();
        int rows = 0;
        while (text.Length < 70_000)
        {
            text.Append(rows++ % 1000).Append(' ', 100).Append('\n');
        }

        while (text.Length < 1_200_000)
        {
            text.Append(rows++ % 1000).Append('\n');
        }

        string path = _directory.Write($"outgrown-{threads}.csv", text.ToString());
        Table<double> table = CsvReader.ReadShare<double>(path, 0, 1, threads, 64 << 10);
        Assert.Equal(1, table.Columns);
        Assert.Equal(rows, table.Rows);
        for (int i = 0; i < rows; i++)
        {
            Assert.Equal(i % 1000, table.Span[i]);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Pieces_written_in_place_close_the_gaps_between_their_ranges(int threads)
    {
        // Dense first 64 KiB, then sparse lines: every range is far larger than its piece's values, which are moved
        // down over the gaps.
        var text = new StringBuilder();
        int rows = 0;
        while (text.Length < 70_000)
        {
            text.Append(rows % 1000).Append(',').Append(rows++ % 7).Append('\n');
        }

        while (text.Length < 1_200_000)
        {
            text.Append(rows % 1000).Append(' ', 60).Append(',').Append(rows++ % 7).Append(' ', 60).Append('\n');
        }

        string path = _directory.Write($"gaps-{threads}.csv", text.ToString());
        Table<double> table = CsvReader.ReadShare<double>(path, 0, 1, threads, 64 << 10);
        Assert.Equal(2, table.Columns);
        Assert.Equal(rows, table.Rows);
        for (int i = 0; i < rows; i++)
        {
            Assert.Equal(i % 1000, table[i, 0]);
            Assert.Equal(i % 7, table[i, 1]);
        }
    }

    [Fact]
    public void Lines_longer_than_a_chunk_are_read_whole()
    {
        int columns = (CsvReader.ChunkBytes / 4) + 1000;
        string row = string.Join(',', Enumerable.Range(0, columns).Select(i => (i % 10).ToString(CultureInfo.InvariantCulture)));
        string path = _directory.Write("wide.csv", row + "\n" + row + "\n");
        Table<double> table = CsvReader.Read<double>(path);
        Assert.Equal(2, table.Rows);
        Assert.Equal(columns, table.Columns);
        Assert.Equal((columns - 3) % 10, table[1, columns - 3]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Fuzzed_rows_parse_to_the_values_double_Parse_gives(int threads)
    {
        var random = new Random(1000 + threads);
        for (int file = 0; file < 20; file++)
        {
            var (text, expected, columns) = GenerateCsv(random, random.Next(1, 400), random.Next(1, 12), isFloat: false);
            string path = _directory.Write($"fuzz-{threads}-{file}.csv", text);
            Table<double> table = CsvReader.ReadShare<double>(path, 0, 1, threads, 256);
            Assert.Equal(columns, table.Columns);
            Assert.Equal(expected.Count / columns, table.Rows);
            for (int i = 0; i < expected.Count; i++)
            {
                Assert.True(BitConverter.DoubleToInt64Bits(double.Parse(expected[i], NumberStyles.Float, CultureInfo.InvariantCulture)) == BitConverter.DoubleToInt64Bits(table.Span[i]), expected[i]);
            }
        }
    }

    [Fact]
    public void Fuzzed_rows_parse_to_the_values_float_Parse_gives()
    {
        var random = new Random(31);
        for (int file = 0; file < 20; file++)
        {
            var (text, expected, columns) = GenerateCsv(random, random.Next(1, 300), random.Next(1, 9), isFloat: true);
            Table<float> table = CsvReader.Read<float>(_directory.Write($"fuzz-float-{file}.csv", text));
            Assert.Equal(columns, table.Columns);
            for (int i = 0; i < expected.Count; i++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(float.Parse(expected[i], NumberStyles.Float, CultureInfo.InvariantCulture)) == BitConverter.SingleToInt32Bits(table.Span[i]), expected[i]);
            }
        }
    }

    [Fact]
    public void Shares_of_random_files_concatenate_to_the_whole_file()
    {
        var random = new Random(5);
        for (int file = 0; file < 30; file++)
        {
            // Tiny files (fewer rows than shares) give empty shares.
            int rows = file < 10 ? random.Next(0, 5) : random.Next(5, 300);
            var (text, _, _) = GenerateCsv(random, rows, random.Next(1, 6), isFloat: false);
            string path = _directory.Write($"shares-{file}.csv", text);
            Table<double> whole = CsvReader.Read<double>(path);
            for (int shares = 1; shares <= 8; shares++)
            {
                var values = new List<double>();
                int totalRows = 0;
                for (int share = 0; share < shares; share++)
                {
                    Table<double> part = CsvReader.ReadShare<double>(path, share, shares, threads: 1 + (share % 3), 128);
                    Assert.True(part.Rows == 0 || part.Columns == whole.Columns);
                    totalRows += part.Rows;
                    values.AddRange(part.Span.ToArray());
                }

                Assert.Equal(whole.Rows, totalRows);
                Assert.Equal(whole.Span.ToArray(), values);
            }
        }
    }

    [Fact]
    public void More_shares_than_rows_leaves_empty_shares()
    {
        string path = _directory.Write("two.csv", "1,2\n3,4\n");
        int[] rows = Enumerable.Range(0, 8).Select(share => CsvReader.ReadShare<double>(path, share, 8).Rows).ToArray();
        Assert.Equal(2, rows.Sum());
        Assert.Equal(6, rows.Count(r => r == 0));
    }

    /// <summary>A CSV file of random numbers in random formatting, with the field texts it holds (row-major).</summary>
    internal static (string Text, List<string> Fields, int Columns) GenerateCsv(Random random, int rows, int columns, bool isFloat)
    {
        var text = new StringBuilder();
        var fields = new List<string>();
        bool crlf = random.Next(3) == 0;
        for (int r = 0; r < rows; r++)
        {
            if (random.Next(20) == 0)
            {
                text.Append(random.Next(2) == 0 ? string.Empty : "  ").Append(crlf ? "\r\n" : "\n");
            }

            for (int c = 0; c < columns; c++)
            {
                string field = FiniteNumber(random, isFloat);
                fields.Add(field);
                text.Append(Spaces(random)).Append(field).Append(Spaces(random));
                if (c < columns - 1 || random.Next(8) == 0)
                {
                    text.Append(',');
                }
            }

            if (r < rows - 1 || random.Next(2) == 0)
            {
                text.Append(crlf ? "\r\n" : "\n");
            }
        }

        if (random.Next(4) == 0)
        {
            text.Append('\n');
        }

        return (text.ToString(), fields, columns);
    }

    private static string FiniteNumber(Random random, bool isFloat)
    {
        while (true)
        {
            string field = random.Next(3) == 0
                ? (random.NextDouble() * 200 - 100).ToString(random.Next(2) == 0 ? "R" : "F3", CultureInfo.InvariantCulture)
                : DecimalParserTests.RandomNumber(random);
            bool finite = isFloat
                ? float.IsFinite(float.Parse(field, NumberStyles.Float, CultureInfo.InvariantCulture))
                : double.IsFinite(double.Parse(field, NumberStyles.Float, CultureInfo.InvariantCulture));
            if (finite)
            {
                return field;
            }
        }
    }

    private static string Spaces(Random random) => random.Next(4) switch
    {
        0 => " ",
        1 => random.Next(2) == 0 ? "\t" : "  ",
        _ => string.Empty,
    };
}
