using System.Numerics;

namespace Distal.Data;

/// <summary>
/// 128-bit truncated approximations of 5^q for q in [<see cref="SmallestExponent"/>, <see cref="LargestExponent"/>],
/// the table of the Eisel–Lemire algorithm (Lemire, "Number parsing at a gigabyte per second", 2021). Entry q is at
/// index 2·(q − SmallestExponent): high word, then low word, normalised so the high word's top bit is set.
/// </summary>
/// <remarks>
/// Computed once with exact big-integer arithmetic instead of pasting 1302 constants: a few milliseconds at first
/// use, and the construction below is the definition, so it can be checked by reading it.
/// </remarks>
internal static class PowersOfFive
{
    public const int SmallestExponent = -342;
    public const int LargestExponent = 308;

    public static readonly ulong[] Table = Build();

    private static ulong[] Build()
    {
        var table = new ulong[2 * (LargestExponent - SmallestExponent + 1)];
        BigInteger two128 = BigInteger.One << 128;
        for (int q = SmallestExponent; q <= LargestExponent; q++)
        {
            BigInteger value;
            if (q < 0)
            {
                // A reciprocal 2^b / 5^-q rounded up: b makes it at least 128 bits long; the extra bits are truncated.
                BigInteger power = BigInteger.Pow(5, -q);
                // 5^k is never a power of two, so its bit length is the smallest z with 2^z ≥ 5^k.
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

            int index = 2 * (q - SmallestExponent);
            table[index] = (ulong)(value >> 64);
            table[index + 1] = (ulong)(value & ulong.MaxValue);
        }

        return table;
    }
}
