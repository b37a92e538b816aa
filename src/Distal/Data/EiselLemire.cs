using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Distal.Data;

/// <summary>
/// The Eisel–Lemire algorithm: the correctly rounded binary floating-point value nearest w·10^q, for a decimal
/// significand w of at most 19 digits (Lemire, "Number parsing at a gigabyte per second", Software: Practice and
/// Experience 51(8), 2021; Mushtak and Lemire, "Fast number parsing without fallback", 2023). Written from the
/// published algorithm. When it cannot prove the rounding it says so and the caller falls back to the runtime's parser.
/// </summary>
internal static class EiselLemire
{
    /// <summary>
    /// Parameters of an IEEE 754 binary format, as static constants of a struct so that the JIT folds them into the
    /// code it compiles for each format (a struct instance passed by reference kept them as memory loads).
    /// </summary>
    internal interface IBinaryFormat
    {
        static abstract int MantissaBits { get; }

        static abstract int MinimumExponent { get; }

        static abstract int InfinitePower { get; }

        static abstract int SmallestPowerOfTen { get; }

        static abstract int LargestPowerOfTen { get; }

        static abstract int MinRoundToEven { get; }

        static abstract int MaxRoundToEven { get; }
    }

    /// <summary>binary64.</summary>
    internal readonly struct Double : IBinaryFormat
    {
        public static int MantissaBits => 52;

        public static int MinimumExponent => -1023;

        public static int InfinitePower => 0x7FF;

        public static int SmallestPowerOfTen => -342;

        public static int LargestPowerOfTen => 308;

        public static int MinRoundToEven => -4;

        public static int MaxRoundToEven => 23;
    }

    /// <summary>binary32.</summary>
    internal readonly struct Single : IBinaryFormat
    {
        public static int MantissaBits => 23;

        public static int MinimumExponent => -127;

        public static int InfinitePower => 0xFF;

        public static int SmallestPowerOfTen => -65;

        public static int LargestPowerOfTen => 38;

        public static int MinRoundToEven => -17;

        public static int MaxRoundToEven => 10;
    }

    /// <summary>
    /// Computes the biased exponent and the mantissa (without its hidden bit) of w·10^q, or returns false when the
    /// 128-bit approximation cannot decide the rounding (never observed; kept because it is cheap to check).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryCompute<TFormat>(long q, ulong w, out ulong mantissa, out int power2)
        where TFormat : IBinaryFormat
    {
        if (w == 0 || q < TFormat.SmallestPowerOfTen)
        {
            mantissa = 0;
            power2 = 0;
            return true;
        }

        if (q > TFormat.LargestPowerOfTen)
        {
            mantissa = 0;
            power2 = TFormat.InfinitePower;
            return true;
        }

        int leadingZeros = BitOperations.LeadingZeroCount(w);
        w <<= leadingZeros;
        ulong high = ProductApproximation(TFormat.MantissaBits + 3, (int)q, w, out ulong low);
        if (low == ulong.MaxValue && (q < -27 || q > 55))
        {
            // Lemire 2021 §7: outside this exponent range the truncated product might hide a carry.
            mantissa = 0;
            power2 = 0;
            return false;
        }

        int upperBit = (int)(high >> 63);
        int shift = upperBit + 64 - TFormat.MantissaBits - 3;
        mantissa = high >> shift;
        power2 = Power((int)q) + upperBit - leadingZeros - TFormat.MinimumExponent;
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
            power2 = mantissa < (1UL << TFormat.MantissaBits) ? 0 : 1;
            return true;
        }

        // We round up unless the value is exactly half way and the even neighbour is below.
        if (low <= 1 && q >= TFormat.MinRoundToEven && q <= TFormat.MaxRoundToEven && (mantissa & 3) == 1
            && (mantissa << shift) == high)
        {
            mantissa &= ~1UL;
        }

        mantissa += mantissa & 1;
        mantissa >>= 1;
        if (mantissa >= (2UL << TFormat.MantissaBits))
        {
            mantissa = 1UL << TFormat.MantissaBits;
            power2++;
        }

        mantissa &= ~(1UL << TFormat.MantissaBits);
        if (power2 >= TFormat.InfinitePower)
        {
            power2 = TFormat.InfinitePower;
            mantissa = 0;
        }

        return true;
    }

    /// <summary>
    /// The high word of a 64×64-bit product. Math.BigMul returns the low word through memory (a store and a reload
    /// on the critical path, seen in the JIT's code); the intrinsics return the high word in a register and the
    /// low word is one more multiplication.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MultiplyHigh(ulong a, ulong b)
    {
        if (Bmi2.X64.IsSupported)
        {
            return Bmi2.X64.MultiplyNoFlags(a, b);
        }

        if (ArmBase.Arm64.IsSupported)
        {
            return ArmBase.Arm64.MultiplyHigh(a, b);
        }

        return Math.BigMul(a, b, out _);
    }

    /// <summary>floor(q·log2(10)) + 63, exact for |q| ≤ 400.</summary>
    private static int Power(int q) => (((152170 + 65536) * q) >> 16) + 63;

    /// <summary>
    /// The high 128 bits of w·5^q, computed with the second table word only when the first product leaves the
    /// bits that matter for <paramref name="precision"/> undecided.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ProductApproximation(int precision, int q, ulong w, out ulong low)
    {
        // q lies in [SmallestPowerOfTen, LargestPowerOfTen] of the format, inside the table's range (checked by the
        // callers above), so the entry is read without a bounds check.
        ref ulong entry = ref Unsafe.Add(ref MemoryMarshal.GetReference(PowersOfFive.Table), 2 * (q - PowersOfFive.SmallestExponent));
        ulong precisionMask = ulong.MaxValue >> precision;
        ulong high = MultiplyHigh(w, entry);
        low = w * entry;
        if ((high & precisionMask) == precisionMask)
        {
            ulong secondHigh = MultiplyHigh(w, Unsafe.Add(ref entry, 1));
            low += secondHigh;
            if (secondHigh > low)
            {
                high++;
            }
        }

        return high;
    }
}
