using System.Globalization;
using System.Text;

namespace Distal.Tests.Fuzz;

/// <summary>Random doubles and number spellings for the generators, weighted towards the cases parsers get wrong.</summary>
internal static class FuzzValues
{
    /// <summary>A finite double: plain, tiny, huge, subnormal, integral, ±0, or any finite bit pattern.</summary>
    public static double Double(Random random)
    {
        switch (random.Next(8))
        {
            case 0:
                return 0.0 * (random.Next(2) == 0 ? 1 : -1);
            case 1:
                return Math.Round((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(0, 8)));
            case 2:
                return BitConverter.Int64BitsToDouble(random.NextInt64(1, 1L << 52)) * (random.Next(2) == 0 ? 1 : -1);
            case 3:
                double bits;
                do
                {
                    bits = BitConverter.Int64BitsToDouble(random.NextInt64());
                }
                while (!double.IsFinite(bits));
                return bits;
            case 4:
                return (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-300, 300));
            default:
                return (random.NextDouble() - 0.3) * Math.Pow(10, random.Next(-4, 7));
        }
    }

    /// <summary>A spelling of a number in the CSV language: round-trip, E16, fixed, or random digits and exponents.</summary>
    public static string Spelling(Random random)
    {
        var text = new StringBuilder();
        switch (random.Next(6))
        {
            case 0:
                text.Append(Double(random).ToString("R", CultureInfo.InvariantCulture));
                break;
            case 1:
                text.Append(Double(random).ToString("E16", CultureInfo.InvariantCulture));
                break;
            case 2:
                text.Append(((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 9))).ToString("F" + random.Next(0, 12), CultureInfo.InvariantCulture));
                break;
            default:
                // Digit strings: up to 30 digits on each side of the point (beyond 19 the fast parsers truncate), runs of
                // 9s and 0s (carries and halfway cases), exponents up to the edges of the double range.
                if (random.Next(4) == 0)
                {
                    text.Append(random.Next(2) == 0 ? '-' : '+');
                }

                int integer = random.Next(4) == 0 ? 0 : random.Next(1, 24);
                int fraction = random.Next(3) == 0 ? 0 : random.Next(1, 24);
                char run = random.Next(3) switch { 0 => '9', 1 => '0', _ => 'x' };
                for (int i = 0; i < integer; i++)
                {
                    text.Append(run != 'x' && i > 0 && random.Next(4) > 0 ? run : (char)('0' + random.Next(10)));
                }

                if (fraction > 0 || integer == 0 || random.Next(4) == 0)
                {
                    text.Append('.');
                }

                for (int i = 0; i < fraction || (integer == 0 && i == 0); i++)
                {
                    text.Append(run != 'x' && random.Next(4) > 0 ? run : (char)('0' + random.Next(10)));
                }

                if (random.Next(2) == 0)
                {
                    // Exponents near the edges: underflow to subnormals and zero is a value, overflow is an error, so
                    // large positive exponents are rare (one per file would make most generated files invalid).
                    text.Append(random.Next(2) == 0 ? 'e' : 'E');
                    bool negative = random.Next(2) == 0;
                    text.Append(negative ? "-" : random.Next(2) == 0 ? "+" : string.Empty);
                    text.Append(negative && random.Next(6) == 0 ? random.Next(280, 360) : random.Next(300) == 0 ? random.Next(290, 330) : random.Next(0, 30));
                }

                break;
        }

        return text.ToString();
    }

    /// <summary>Spaces and tabs, usually none.</summary>
    public static string Blanks(Random random)
        => random.Next(6) > 0 ? string.Empty : new string(Enumerable.Range(0, random.Next(1, 3)).Select(_ => random.Next(2) == 0 ? ' ' : '\t').ToArray());

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> have the same bits.</summary>
    public static bool Same(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> have the same bits.</summary>
    public static bool Same(float a, float b) => BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(b);

    /// <summary>The first index where the tables' bits differ, or −1.</summary>
    public static int FirstDifference<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual)
        where T : unmanaged
    {
        var a = System.Runtime.InteropServices.MemoryMarshal.AsBytes(expected);
        var b = System.Runtime.InteropServices.MemoryMarshal.AsBytes(actual);
        if (expected.Length != actual.Length)
        {
            return Math.Min(expected.Length, actual.Length);
        }

        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        for (int i = 0; i < expected.Length; i++)
        {
            if (!a.Slice(i * size, size).SequenceEqual(b.Slice(i * size, size)))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A printable rendering of an input for failure messages.</summary>
    public static string Show(byte[] input)
    {
        string text = Encoding.UTF8.GetString(input, 0, Math.Min(input.Length, 600));
        var shown = new StringBuilder();
        foreach (char c in text)
        {
            shown.Append(c is < ' ' or '\u007f' ? $"\\x{(int)c:X2}" : c.ToString());
        }

        return input.Length > 600 ? shown + "…" : shown.ToString();
    }
}
