using System.Numerics;

namespace Distal.Data;

/// <summary>
/// The Eisel–Lemire algorithm: the correctly rounded binary floating-point value nearest w·10^q, for a decimal
/// significand w of at most 19 digits (Lemire, "Number parsing at a gigabyte per second", Software: Practice and
/// Experience 51(8), 2021; Mushtak and Lemire, "Fast number parsing without fallback", 2023). Written from the
/// published algorithm. When it cannot prove the rounding it says so and the caller falls back to the runtime's parser.
/// </summary>
internal static class EiselLemire
{
    /// <summary>Parameters of an IEEE 754 binary format.</summary>
    internal readonly record struct BinaryFormat(
        int MantissaBits,
        int MinimumExponent,
        int InfinitePower,
        int SmallestPowerOfTen,
        int LargestPowerOfTen,
        int MinRoundToEven,
        int MaxRoundToEven);

    public static readonly BinaryFormat Double = new(52, -1023, 0x7FF, -342, 308, -4, 23);

    public static readonly BinaryFormat Single = new(23, -127, 0xFF, -65, 38, -17, 10);

    /// <summary>
    /// Computes the biased exponent and the mantissa (without its hidden bit) of w·10^q, or returns false when the
    /// 128-bit approximation cannot decide the rounding (never observed; kept because it is cheap to check).
    /// </summary>
    public static bool TryCompute(in BinaryFormat format, long q, ulong w, out ulong mantissa, out int power2)
    {
        if (w == 0 || q < format.SmallestPowerOfTen)
        {
            mantissa = 0;
            power2 = 0;
            return true;
        }

        if (q > format.LargestPowerOfTen)
        {
            mantissa = 0;
            power2 = format.InfinitePower;
            return true;
        }

        int leadingZeros = BitOperations.LeadingZeroCount(w);
        w <<= leadingZeros;
        ulong high = ProductApproximation(format.MantissaBits + 3, (int)q, w, out ulong low);
        if (low == ulong.MaxValue && (q < -27 || q > 55))
        {
            // Lemire 2021 §7: outside this exponent range the truncated product might hide a carry.
            mantissa = 0;
            power2 = 0;
            return false;
        }

        int upperBit = (int)(high >> 63);
        int shift = upperBit + 64 - format.MantissaBits - 3;
        mantissa = high >> shift;
        power2 = Power((int)q) + upperBit - leadingZeros - format.MinimumExponent;
        if (power2 <= 0)
        {
            // Subnormal: shift into place, then round half up on the extra bit.
            if (-power2 + 1 >= 64)
            {
                mantissa = 0;
                power2 = 0;
                return true;
            }

            mantissa >>= -power2 + 1;
            mantissa += mantissa & 1;
            mantissa >>= 1;
            power2 = mantissa < (1UL << format.MantissaBits) ? 0 : 1;
            return true;
        }

        // We round up unless the value is exactly half way and the even neighbour is below.
        if (low <= 1 && q >= format.MinRoundToEven && q <= format.MaxRoundToEven && (mantissa & 3) == 1
            && (mantissa << shift) == high)
        {
            mantissa &= ~1UL;
        }

        mantissa += mantissa & 1;
        mantissa >>= 1;
        if (mantissa >= (2UL << format.MantissaBits))
        {
            mantissa = 1UL << format.MantissaBits;
            power2++;
        }

        mantissa &= ~(1UL << format.MantissaBits);
        if (power2 >= format.InfinitePower)
        {
            power2 = format.InfinitePower;
            mantissa = 0;
        }

        return true;
    }

    /// <summary>floor(q·log2(10)) + 63, exact for |q| ≤ 400.</summary>
    private static int Power(int q) => (((152170 + 65536) * q) >> 16) + 63;

    /// <summary>
    /// The high 128 bits of w·5^q, computed with the second table word only when the first product leaves the
    /// bits that matter for <paramref name="precision"/> undecided.
    /// </summary>
    private static ulong ProductApproximation(int precision, int q, ulong w, out ulong low)
    {
        ulong[] table = PowersOfFive.Table;
        int index = 2 * (q - PowersOfFive.SmallestExponent);
        ulong precisionMask = ulong.MaxValue >> precision;
        ulong high = Math.BigMul(w, table[index], out low);
        if ((high & precisionMask) == precisionMask)
        {
            ulong secondHigh = Math.BigMul(w, table[index + 1], out _);
            low += secondHigh;
            if (secondHigh > low)
            {
                high++;
            }
        }

        return high;
    }
}
