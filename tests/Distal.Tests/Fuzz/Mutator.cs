using System.Text;

namespace Distal.Tests.Fuzz;

/// <summary>
/// Byte-level mutations of a valid input: flips, truncations, insertions of tokens that readers get wrong (NaN and
/// infinity spellings, huge exponents, separators, bad UTF-8, NUL), deletions and duplications of ranges.
/// </summary>
internal static class Mutator
{
    /// <summary>Tokens worth inserting into text formats.</summary>
    public static readonly string[] TextTokens =
    [
        ",", ",,", "\n", "\r\n", "\r", " ", "\t", "\v", "\f", "\0", "-", "+", ".", "e", "E", "e+", "1e", "--1", "+-1", "1.2.3",
        "nan", "NaN", "-nan", "+NaN", "inf", "-inf", "Inf", "Infinity", "-Infinity", "+Infinity", "infinity", "∞", "-∞", "1e400",
        "-1e400", "1e-400", "4.9e-324", "2.4703282292062328e-324", "1.7976931348623157e308", "1.7976931348623159e308",
        "3.4028235e38", "3.4028236e38", "1e39", "0x10", "0X1p3", "1_000", "1,5", "1 000", "٣", "１", "1e99999999999999999999",
        "0.000000000000000000000000000000000000000000000000000000000000001e-270", "00000000000000000000001",
        "9007199254740993", "18446744073709551616", "-0", "-0.0", "0e0", "true", "null", "\"1\"", "[", "]", "{", "}", ":",
        "\u00a0", "\u2028", "\ufeff", "é", "\ud7ff",
    ];

    /// <summary>Raw byte sequences that are not UTF-8 text.</summary>
    public static readonly byte[][] ByteTokens =
    [
        [0xFF], [0xFE], [0xC3], [0xC3, 0x28], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0x80],
        [0xEF, 0xBB, 0xBF], [0x00], [0x1B, 0x5B, 0x32, 0x4A],
    ];

    /// <summary>Applies 1 to <paramref name="maxMutations"/> random mutations; <paramref name="tokens"/> are the format's extra tokens.</summary>
    public static byte[] Mutate(Random random, byte[] input, int maxMutations, IReadOnlyList<string>? tokens = null)
    {
        var bytes = new List<byte>(input);
        int count = 1 + random.Next(maxMutations);
        for (int m = 0; m < count; m++)
        {
            int at = bytes.Count == 0 ? 0 : random.Next(bytes.Count + 1);
            switch (random.Next(9))
            {
                case 0 when bytes.Count > 0:
                    bytes[Math.Min(at, bytes.Count - 1)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[Math.Min(at, bytes.Count - 1)] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 3:
                case 4:
                    string token = tokens is { Count: > 0 } && random.Next(2) == 0 ? tokens[random.Next(tokens.Count)] : TextTokens[random.Next(TextTokens.Length)];
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(token));
                    break;
                case 5:
                    bytes.InsertRange(at, ByteTokens[random.Next(ByteTokens.Length)]);
                    break;
                case 6 when bytes.Count > 0:
                    int length = Math.Min(bytes.Count - Math.Min(at, bytes.Count - 1), 1 + random.Next(8));
                    bytes.RemoveRange(Math.Min(at, bytes.Count - 1), length);
                    break;
                case 7 when bytes.Count > 0:
                    int from = random.Next(bytes.Count);
                    var copy = bytes.GetRange(from, Math.Min(bytes.Count - from, 1 + random.Next(16)));
                    bytes.InsertRange(at, copy);
                    break;
                default:
                    // A token replacing a digit run: the shape stays and a number changes spelling.
                    int digit = bytes.FindIndex(Math.Min(at, bytes.Count), b => b is >= (byte)'0' and <= (byte)'9');
                    if (digit >= 0)
                    {
                        int end = digit;
                        while (end < bytes.Count && bytes[end] is >= (byte)'0' and <= (byte)'9' or (byte)'.')
                        {
                            end++;
                        }

                        bytes.RemoveRange(digit, end - digit);
                        bytes.InsertRange(digit, Encoding.UTF8.GetBytes(TextTokens[random.Next(TextTokens.Length)]));
                    }

                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>Mutations confined to <c>[from, to)</c> of a binary file (a header, a footer, a page).</summary>
    public static byte[] MutateRange(Random random, byte[] input, int from, int to, int maxMutations)
    {
        var bytes = (byte[])input.Clone();
        int count = 1 + random.Next(maxMutations);
        for (int m = 0; m < count && to > from; m++)
        {
            int at = from + random.Next(to - from);
            bytes[at] = random.Next(3) switch
            {
                0 => (byte)(bytes[at] ^ (1 << random.Next(8))),
                1 => (byte)random.Next(256),
                _ => random.Next(2) == 0 ? (byte)0xFF : (byte)0,
            };
        }

        return bytes;
    }
}
