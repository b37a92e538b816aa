using System.Globalization;
using System.Numerics;
using System.Text;
using Distal.Data;

namespace Distal.Tests.Data;

public class DecimalParserTests
{
    [Fact]
    public void Powers_of_five_table_matches_published_entries()
    {
        // Entries of the table published with the algorithm (fast_float / Lemire 2021), first, 10^0, 10^1, 10^-189 and last.
        ReadOnlySpan<ulong> table = PowersOfFive.Table;
        Assert.Equal(0xeef453d6923bd65aUL, table[0]);
        Assert.Equal(0x113faa2906a13b3fUL, table[1]);
        int zero = 2 * -PowersOfFive.SmallestExponent;
        Assert.Equal(0x8000000000000000UL, table[zero]);
        Assert.Equal(0UL, table[zero + 1]);
        Assert.Equal(0xa000000000000000UL, table[zero + 2]);
        int minus189 = 2 * (-189 - PowersOfFive.SmallestExponent);
        Assert.Equal(0x8e938662882af53eUL, table[minus189]);
        Assert.Equal(0x547eb47b7282ee9cUL, table[minus189 + 1]);
        Assert.Equal(0x8e679c2f5e44ff8fUL, table[^2]);
        Assert.Equal(0x570f09eaa7ea7648UL, table[^1]);
    }

    /// <summary>
    /// Every entry of the pasted table against its definition, computed here with exact big-integer arithmetic: 5^q
    /// normalised to 128 bits for q ≥ 0, and for q &lt; 0 a reciprocal 2^b / 5^-q rounded up, with b making it at
    /// least 128 bits long, the extra bits truncated.
    /// </summary>
    [Fact]
    public void Powers_of_five_table_is_its_definition_entry_by_entry()
    {
        ReadOnlySpan<ulong> table = PowersOfFive.Table;
        Assert.Equal(2 * (PowersOfFive.LargestExponent - PowersOfFive.SmallestExponent + 1), table.Length);
        BigInteger two128 = BigInteger.One << 128;
        for (int q = PowersOfFive.SmallestExponent; q <= PowersOfFive.LargestExponent; q++)
        {
            BigInteger value;
            if (q < 0)
            {
                BigInteger power = BigInteger.Pow(5, -q);
                int z = (int)power.GetBitLength();
                int b = q >= -27 ? z + 127 : (2 * z) + 128;
                value = (BigInteger.One << b) / power + 1;
                while (value >= two128)
                {
                    value >>= 1;
                }
            }
            else
            {
                value = BigInteger.Pow(5, q);
                int shift = 128 - (int)value.GetBitLength();
                value = shift >= 0 ? value << shift : value >> -shift;
            }

            int index = 2 * (q - PowersOfFive.SmallestExponent);
            Assert.True((ulong)(value >> 64) == table[index] && (ulong)(value & ulong.MaxValue) == table[index + 1], $"5^{q}");
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("+0.0e10")]
    [InlineData("1")]
    [InlineData("-1.5")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("1e22")]
    [InlineData("1e23")]
    [InlineData("9007199254740993")]
    [InlineData("9007199254740992.5")]
    [InlineData("0.1")]
    [InlineData("2.2250738585072011e-308")]
    [InlineData("2.2250738585072014e-308")]
    [InlineData("4.9406564584124654e-324")]
    [InlineData("2.4703282292062327e-324")]
    [InlineData("2.4703282292062328e-324")]
    [InlineData("1e-400")]
    [InlineData("1.7976931348623157e308")]
    [InlineData("1.7976931348623158e308")]
    [InlineData("1.7976931348623159e308")]
    [InlineData("1e400")]
    [InlineData("123456789012345678901234567890")]
    [InlineData("0.000000000000000000000000000001234567890123456789012345")]
    [InlineData("7.038531e-26")]
    [InlineData("1e0000000000000000000001")]
    [InlineData("3.4028235e38")]
    [InlineData("3.4028236e38")]
    [InlineData("1.4e-45")]
    [InlineData("7.006492321624085e-46")]
    [InlineData("7.006492321624087e-46")]
    [InlineData("16777217")]
    [InlineData("16777219")]
    [InlineData("0.30000001192092896")]
    [InlineData("1234567.123456789012")]
    [InlineData("12345678.5")]
    [InlineData("0.123456789012345")]
    [InlineData("0.1234567890123456")]
    [InlineData("-9999999.999999999999")]
    [InlineData("1.5e000001")]
    [InlineData("1.5e0000001")]
    [InlineData("5.e3")]
    [InlineData("-.5e-3")]
    [InlineData("00000000.5")]
    [InlineData("12345678")]
    public void Hard_cases_are_bit_equal_to_the_runtime(string text)
    {
        AssertBitEqual(text);
    }

    [Fact]
    public void Random_fields_are_bit_equal_to_double_Parse()
    {
        var random = new Random(20261123);
        int handled = 0;
        const int Count = 1_500_000;
        for (int i = 0; i < Count; i++)
        {
            handled += AssertBitEqualDouble(RandomNumber(random)) ? 1 : 0;
        }

        // The runtime's parser is a fallback for undecidable truncated significands, not the common path.
        Assert.True(handled > Count * 0.999, $"{Count - handled} of {Count} fell back");
    }

    [Fact]
    public void Random_fields_are_bit_equal_to_float_Parse()
    {
        var random = new Random(4242);
        int handled = 0;
        const int Count = 700_000;
        for (int i = 0; i < Count; i++)
        {
            handled += AssertBitEqualSingle(RandomNumber(random)) ? 1 : 0;
        }

        Assert.True(handled > Count * 0.999, $"{Count - handled} of {Count} fell back");
    }

    [Fact]
    public void Random_doubles_written_round_trip_are_bit_equal()
    {
        var random = new Random(77);
        for (int i = 0; i < 500_000; i++)
        {
            double value = BitConverter.Int64BitsToDouble(random.NextInt64(0, 0x7FF0000000000000));
            string text = value.ToString(random.Next(2) == 0 ? "R" : "E16", CultureInfo.InvariantCulture);
            Assert.True(AssertBitEqualDouble(text), text);
            if (float.IsFinite((float)value))
            {
                text = ((float)value).ToString("R", CultureInfo.InvariantCulture);
                Assert.True(AssertBitEqualSingle(text), text);
            }
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("+")]
    [InlineData(".")]
    [InlineData("e5")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("nan")]
    [InlineData("Infinity")]
    public void Text_outside_the_plain_grammar_is_left_to_the_caller(string text)
    {
        foreach (byte[] bytes in Framings(text))
        {
            int position = 0;
            Assert.False(DecimalParser.TryParse(bytes, ref position, out double _));
            Assert.Equal(0, position);
        }
    }

    [Fact]
    public void Parsing_stops_after_the_number()
    {
        byte[] text = Encoding.ASCII.GetBytes("-12.5e3 ,7");
        int position = 0;
        Assert.True(DecimalParser.TryParse(text, ref position, out double value));
        Assert.Equal(-12500.0, value);
        Assert.Equal(7, position);
    }

    internal static string RandomNumber(Random random)
    {
        var text = new StringBuilder();
        int sign = random.Next(4);
        if (sign == 0)
        {
            text.Append('-');
        }
        else if (sign == 1)
        {
            text.Append('+');
        }

        int digits = random.Next(6) switch
        {
            0 => random.Next(1, 4),
            1 => random.Next(1, 10),
            2 => random.Next(10, 18),
            3 => random.Next(15, 21),
            4 => random.Next(17, 19),
            _ => random.Next(19, 40),
        };
        int point = random.Next(-1, digits + 1);
        int leadingZeros = random.Next(4) == 0 ? random.Next(1, 30) : 0;
        text.Append('0', leadingZeros);
        for (int d = 0; d < digits; d++)
        {
            if (d == point)
            {
                text.Append('.');
            }

            // Runs of 9s and 0s make halfway and carry cases likely.
            int kind = random.Next(10);
            text.Append(kind == 0 ? '9' : kind == 1 ? '0' : (char)('0' + random.Next(10)));
        }

        if (point == digits)
        {
            text.Append('.');
        }

        int exponentKind = random.Next(5);
        if (exponentKind > 0)
        {
            text.Append(random.Next(2) == 0 ? 'e' : 'E');
            int exponent = exponentKind switch
            {
                1 => random.Next(-30, 31),
                2 => random.Next(-350, 330),
                3 => random.Next(-60, 50),
                _ => random.Next(-330, -280),
            };
            text.Append(exponent < 0 ? "-" : random.Next(2) == 0 ? "+" : string.Empty).Append(Math.Abs(exponent));
        }

        return text.ToString();
    }

    private static void AssertBitEqual(string text)
    {
        AssertBitEqualDouble(text);
        AssertBitEqualSingle(text);
    }

    private static bool AssertBitEqualDouble(string text)
    {
        double expected = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        bool handled = false;
        foreach (var (bytes, start) in Placements(text))
        {
            int position = start;
            if (DecimalParser.TryParse(bytes, ref position, out double actual))
            {
                Assert.True(position == start + text.Length, text);
                Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual), $"{text}: {expected:R} != {actual:R}");
                handled = true;
            }
        }

        return handled;
    }

    /// <summary>
    /// The text alone (the careful path: too few bytes to load words past it) and followed by more text as inside a
    /// CSV buffer (the word-at-a-time path), so that both paths are compared with the runtime on every case.
    /// </summary>
    private static byte[][] Framings(string text)
        => [Encoding.ASCII.GetBytes(text), Encoding.ASCII.GetBytes(text + ",1234567890123456789012345678901234567890\n"), Encoding.ASCII.GetBytes(text + "\r\n" + new string('7', 48))];

    /// <summary>
    /// The text after a previous field, as deep inside a CSV buffer, where the vector path for fraction digits may
    /// read the bytes before the number (it is not used within 16 bytes of the start of the text).
    /// </summary>
    private const string Preceding = "-1234567.890123456789,";

    /// <summary>
    /// The framings with the number's position: the text alone (careful path), followed by more text at the start
    /// (word-at-a-time path: the vector path is not used within 16 bytes of the start), and followed by more text
    /// after <see cref="Preceding"/> (the vector path where the CPU has it).
    /// </summary>
    private static (byte[] Bytes, int Start)[] Placements(string text)
    {
        byte[][] framings = Framings(text);
        return [(framings[0], 0), (framings[1], 0), ([.. Encoding.ASCII.GetBytes(Preceding), .. framings[2]], Preceding.Length)];
    }

    private static bool AssertBitEqualSingle(string text)
    {
        float expected = float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        bool handled = false;
        foreach (var (bytes, start) in Placements(text))
        {
            int position = start;
            if (DecimalParser.TryParse(bytes, ref position, out float actual))
            {
                Assert.True(position == start + text.Length, text);
                Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual), $"{text}: {expected:R} != {actual:R}");
                handled = true;
            }
        }

        return handled;
    }
}
