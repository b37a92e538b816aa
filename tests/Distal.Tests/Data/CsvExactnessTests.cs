using System.Globalization;
using System.Text;
using Distal.Data;

namespace Distal.Tests.Data;

/// <summary>
/// Whole CSV texts of random fields, parsed as the reader parses a file (rows through the row fast path where they
/// qualify, the careful line parser where they do not, and rows that start on the fast path and fall back part-way),
/// compared bit for bit with <see cref="double.Parse(string, NumberStyles, IFormatProvider)"/> and
/// <see cref="float.Parse(string, NumberStyles, IFormatProvider)"/> of every field.
/// </summary>
public class CsvExactnessTests
{
    private const int Columns = 8;

    [Fact]
    public void A_million_random_double_fields_are_bit_equal_to_double_Parse()
    {
        var random = new Random(20261125);
        var (text, fields) = Generate(random, 125_000, isFloat: false);
        Table<double> table = CsvReader.Parse<double>(text, "x.csv", () => 1);
        Assert.Equal(Columns, table.Columns);
        Assert.Equal(fields.Count / Columns, table.Rows);
        ReadOnlySpan<double> values = table.Span;
        for (int i = 0; i < fields.Count; i++)
        {
            long expected = BitConverter.DoubleToInt64Bits(double.Parse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture));
            if (expected != BitConverter.DoubleToInt64Bits(values[i]))
            {
                Assert.Fail($"field {i} '{fields[i]}': expected {BitConverter.Int64BitsToDouble(expected):R}, parsed {values[i]:R}");
            }
        }
    }

    [Fact]
    public void Half_a_million_random_float_fields_are_bit_equal_to_float_Parse()
    {
        var random = new Random(77);
        var (text, fields) = Generate(random, 62_500, isFloat: true);
        Table<float> table = CsvReader.Parse<float>(text, "x.csv", () => 1);
        Assert.Equal(fields.Count / Columns, table.Rows);
        ReadOnlySpan<float> values = table.Span;
        for (int i = 0; i < fields.Count; i++)
        {
            int expected = BitConverter.SingleToInt32Bits(float.Parse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture));
            if (expected != BitConverter.SingleToInt32Bits(values[i]))
            {
                Assert.Fail($"field {i} '{fields[i]}': expected {BitConverter.Int32BitsToSingle(expected):R}, parsed {values[i]:R}");
            }
        }
    }

    /// <summary>
    /// The plain path (d…d.d…d, converted from the field's ends) at the edges of what it takes: 1–8 integer digits
    /// with up to 19 digits in all, beside forms just outside it (9 integer digits, 20 digits, 17 fraction digits),
    /// which the general paths take. Rows of one form each, so that whole rows go through the row fast path.
    /// </summary>
    [Fact]
    public void Fields_at_the_edges_of_the_plain_path_are_bit_equal_to_double_Parse()
    {
        var random = new Random(8);
        var text = new StringBuilder();
        var fields = new List<string>();
        for (int row = 0; row < 40_000; row++)
        {
            int integerDigits = 1 + (row % 9);
            int fractionDigits = 1 + (row / 9 % 17);
            for (int c = 0; c < Columns; c++)
            {
                string field = (random.Next(2) == 0 ? "-" : string.Empty) + Digits(random, integerDigits, nonZeroFirst: true) + "." + Digits(random, fractionDigits, nonZeroFirst: false);
                fields.Add(field);
                text.Append(field).Append(c < Columns - 1 ? ',' : '\n');
            }
        }

        Table<double> table = CsvReader.Parse<double>(Encoding.ASCII.GetBytes(text.ToString()), "x.csv", () => 1);
        ReadOnlySpan<double> values = table.Span;
        Assert.Equal(fields.Count, values.Length);
        for (int i = 0; i < fields.Count; i++)
        {
            double expected = double.Parse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture);
            if (BitConverter.DoubleToInt64Bits(expected) != BitConverter.DoubleToInt64Bits(values[i]))
            {
                Assert.Fail($"field {i} '{fields[i]}': expected {expected:R}, parsed {values[i]:R}");
            }
        }
    }

    private static string Digits(Random random, int count, bool nonZeroFirst)
    {
        var digits = new char[count];
        for (int i = 0; i < count; i++)
        {
            digits[i] = (char)('0' + (i == 0 && nonZeroFirst ? random.Next(1, 10) : random.Next(10)));
        }

        return new string(digits);
    }

    /// <summary>
    /// Each error is placed after enough valid rows that the row fast path is running when it meets the bad row, with
    /// plenty of text after it; the message must be the careful parser's.
    /// </summary>
    [Theory]
    [InlineData("1.5,2.5,3.5\n", "x.csv:102:12: expected 4 fields, found 3")]
    [InlineData("1.5,2.5,3.5,4.5,5.5\n", "x.csv:102:17: expected 4 fields, found 5")]
    [InlineData("1.5,2.5,3.5,4.5,,\r\n", "x.csv:102:17: empty field")]
    [InlineData("1.5,2.5,,4.5\n", "x.csv:102:9: empty field")]
    [InlineData("1.5,abc,3.5,4.5\n", "x.csv:102:5: 'abc' is not a finite number")]
    [InlineData("1.5,2.5,nan,4.5\n", "x.csv:102:9: 'nan' is not a finite number")]
    [InlineData("1.5,2.5,1e400,4.5\n", "x.csv:102:9: '1e400' is not a finite number")]
    [InlineData("1.5,2.5,3.5e,4.5\n", "x.csv:102:9: '3.5e' is not a finite number")]
    [InlineData("1.5,2.5,3.5,4.5x\n", "x.csv:102:13: '4.5x' is not a finite number")]
    [InlineData("1.5,2x.5,3.5,4.5\n", "x.csv:102:5: '2x.5' is not a finite number")]
    [InlineData("1.5,2.5,-+3.5,4.5\n", "x.csv:102:9: '-+3.5' is not a finite number")]
    [InlineData("1.5,2.5,3..5,4.5\n", "x.csv:102:9: '3..5' is not a finite number")]
    [InlineData("1.5,2.5,.,4.5\n", "x.csv:102:9: '.' is not a finite number")]
    [InlineData("1.5,2.5,3.5;4.5\n", "x.csv:102:9: '3.5;4.5' is not a finite number")]
    [InlineData("1.5,2.5\r3.5,4.5\n", "x.csv:102:5: '2.5\\x0D3.5' is not a finite number")]
    public void Errors_met_by_the_row_fast_path_are_the_careful_parsers(string badRow, string expected)
    {
        var text = new StringBuilder();
        text.Append("0,0,0,0\n");
        for (int row = 0; row < 100; row++)
        {
            text.Append("-12.345678901234567,0.5,1e-3,7\n");
        }

        text.Append(badRow);
        for (int row = 0; row < 100; row++)
        {
            text.Append("1,2,3,4\n");
        }

        var error = Assert.Throws<DataFormatException>(() => CsvReader.Parse<double>(Encoding.ASCII.GetBytes(text.ToString()), "x.csv", () => 1));
        Assert.Equal(expected, error.Message);

        // The same row in a text too short for the fast path gives the same column and cause.
        var careful = Assert.Throws<DataFormatException>(() => CsvReader.Parse<double>(Encoding.ASCII.GetBytes("0,0,0,0\n" + badRow), "x.csv", () => 101));
        Assert.Equal(expected, careful.Message);
    }

    [Fact]
    public void Float_overflow_met_by_the_row_fast_path_is_an_error()
    {
        string text = string.Concat(Enumerable.Repeat("1.25,-3.5e2\n", 50)) + "1.25,1e39\n" + string.Concat(Enumerable.Repeat("1,2\n", 50));
        var error = Assert.Throws<DataFormatException>(() => CsvReader.Parse<float>(Encoding.ASCII.GetBytes(text), "x.csv", () => 1));
        Assert.Equal("x.csv:51:6: '1e39' is not a finite number", error.Message);
    }

    /// <summary>
    /// Rows of <see cref="Columns"/> fields. Most rows are plain (comma, LF) so the fast path takes them; some have
    /// CRLF, a trailing comma, blanks around a field, or blank lines between rows. Fields: shortest round-trip and
    /// 17-digit forms of random bit patterns (subnormals and extreme exponents included), %.17g-like values of
    /// ordinary size, the decimal parser's random numbers (long significands, runs of 0s and 9s near halfway, leading
    /// zeros, signs, exponents of every size) and short hand-written forms.
    /// </summary>
    private static (byte[] Text, List<string> Fields) Generate(Random random, int rows, bool isFloat)
    {
        string[] forms = ["1e5", "1E+05", ".5", "5.", "-.5e-3", "+7", "007.250", "0", "-0", "0.0", "1e-5", "123456789", "1.e1", "00000000000000000001.5"];
        var text = new StringBuilder(rows * Columns * 20);
        var fields = new List<string>(rows * Columns);
        for (int row = 0; row < rows; row++)
        {
            int style = random.Next(16);
            for (int c = 0; c < Columns; c++)
            {
                string field;
                do
                {
                    field = random.Next(8) switch
                    {
                        0 or 1 => RandomBits(random, isFloat, random.Next(2) == 0 ? "R" : isFloat ? "G9" : "G17"),
                        2 => RandomBits(random, isFloat, isFloat ? "E8" : "E16"),
                        3 or 4 => ((random.NextDouble() * 100) - 50).ToString("G17", CultureInfo.InvariantCulture),
                        5 => (random.NextDouble() * Math.Pow(10, random.Next(-30, 30))).ToString("R", CultureInfo.InvariantCulture),
                        6 => forms[random.Next(forms.Length)],
                        _ => DecimalParserTests.RandomNumber(random),
                    };
                }
                while (!IsFinite(field, isFloat));

                fields.Add(field);
                bool blanks = style == 1 && c == random.Next(Columns);
                text.Append(blanks ? " " : string.Empty).Append(field).Append(blanks ? "\t" : string.Empty);
                if (c < Columns - 1)
                {
                    text.Append(',');
                }
            }

            text.Append(style switch
            {
                2 => "\r\n",
                3 => ",\n",
                4 => ",\r\n",
                5 => "\n\n",
                _ => "\n",
            });
        }

        return (Encoding.ASCII.GetBytes(text.ToString()), fields);
    }

    /// <summary>A random finite value of the table's type (any bit pattern: subnormals included), formatted.</summary>
    private static string RandomBits(Random random, bool isFloat, string format)
        => isFloat
            ? (BitConverter.Int32BitsToSingle(random.Next(0, 0x7F800000)) * (random.Next(2) == 0 ? -1 : 1)).ToString(format, CultureInfo.InvariantCulture)
            : (BitConverter.Int64BitsToDouble(random.NextInt64(0, 0x7FF0000000000000)) * (random.Next(2) == 0 ? -1 : 1)).ToString(format, CultureInfo.InvariantCulture);

    private static bool IsFinite(string field, bool isFloat)
        => isFloat
            ? float.IsFinite(float.Parse(field, NumberStyles.Float, CultureInfo.InvariantCulture))
            : double.IsFinite(double.Parse(field, NumberStyles.Float, CultureInfo.InvariantCulture));
}
