using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Distal.Data;

/// <summary>
/// The careful half of <see cref="DecimalParser"/>: any digit count and any text end, significands beyond 19 digits
/// truncated (accepted only when the truncated value and its successor round alike), Clinger's exact path for short
/// significands and small exponents, Eisel–Lemire otherwise. Used for a field the short path does not take (the
/// careful line parser, the end of a buffer, long significands).
/// </summary>
internal static partial class DecimalParser
{
    private static readonly double[] ExactPowersOfTen =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    private static readonly float[] ExactPowersOfTenSingle = [1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f];

    /// <summary>The general case: any digit count (significands beyond 19 digits truncated) and any text end.</summary>
    private static bool TryParseLong<T>(ReadOnlySpan<byte> text, ref int position, out T value)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int p = position;
        bool negative = false;
        if (p < text.Length && (text[p] == (byte)'-' || text[p] == (byte)'+'))
        {
            negative = text[p] == (byte)'-';
            p++;
        }

        ulong w = 0;
        int digits = 0;
        long exponent = 0;
        bool truncated = false;
        int firstDigit = p;
        exponent += ReadDigitRun(text, ref p, ref w, ref digits, ref truncated).Dropped;
        bool anyDigit = p > firstDigit;
        if (p < text.Length && text[p] == (byte)'.')
        {
            p++;
            int fractionStart = p;
            exponent -= ReadDigitRun(text, ref p, ref w, ref digits, ref truncated).Kept;
            anyDigit |= p > fractionStart;
        }

        if (!anyDigit)
        {
            value = default;
            return false;
        }

        if (p < text.Length && (text[p] | 0x20) == (byte)'e')
        {
            p++;
            bool negativeExponent = false;
            if (p < text.Length && (text[p] == (byte)'-' || text[p] == (byte)'+'))
            {
                negativeExponent = text[p] == (byte)'-';
                p++;
            }

            int exponentStart = p;
            long written = 0;
            uint d;
            while (p < text.Length && (d = (uint)(text[p] - '0')) <= 9)
            {
                // Beyond 10^6 the value is 0 or infinity whatever the significand; stop growing to avoid overflow.
                if (written < 1_000_000)
                {
                    written = (written * 10) + d;
                }

                p++;
            }

            if (p == exponentStart)
            {
                value = default;
                return false;
            }

            exponent += negativeExponent ? -written : written;
        }

        if (!TryCompose(w, exponent, negative, truncated, out value))
        {
            return false;
        }

        position = p;
        return true;
    }

    /// <summary>
    /// Reads the run of digits at <paramref name="p"/> into the significand <paramref name="w"/>: leading zeros are not
    /// counted, and digits past the <see cref="MaxSignificandDigits"/>th only mark <paramref name="truncated"/>.
    /// Returns how many digits were read while fewer than that many were counted (Kept) and how many after (Dropped):
    /// an integer part scales the value by 10^Dropped, a fraction by 10^−Kept.
    /// </summary>
    private static (int Kept, int Dropped) ReadDigitRun(ReadOnlySpan<byte> text, ref int p, ref ulong w, ref int digits, ref bool truncated)
    {
        int kept = 0;
        int dropped = 0;
        uint d;
        while (p < text.Length && (d = (uint)(text[p] - '0')) <= 9)
        {
            if (w != 0 && digits <= MaxSignificandDigits - 8 && TryEightDigits(text, p, out uint eight))
            {
                w = (w * 100_000_000) + eight;
                digits += 8;
                kept += 8;
                p += 8;
                continue;
            }

            if (digits < MaxSignificandDigits)
            {
                if ((w | d) != 0)
                {
                    w = (w * 10) + d;
                    digits++;
                }

                kept++;
            }
            else
            {
                dropped++;
                truncated |= d != 0;
            }

            p++;
        }

        return (kept, dropped);
    }

    /// <summary>
    /// Reads eight ASCII digits at once (Lemire's SWAR method): about twice as fast as digit by digit on the 15-17
    /// digit fields that round-trip formatting writes. Only used once the significand is non-zero, so the digit
    /// count stays exact.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryEightDigits(ReadOnlySpan<byte> text, int position, out uint value)
    {
        if (text.Length - position < 8)
        {
            value = 0;
            return false;
        }

        ulong chunk = BinaryPrimitives.ReadUInt64LittleEndian(text[position..]);
        if ((((chunk + 0x4646464646464646) | (chunk - 0x3030303030303030)) & 0x8080808080808080) != 0)
        {
            value = 0;
            return false;
        }

        chunk -= 0x3030303030303030;
        chunk = (chunk * 10) + (chunk >> 8);
        chunk = (((chunk & 0x000000FF000000FF) * 0x000F424000000064) + (((chunk >> 16) & 0x000000FF000000FF) * 0x0000271000000001)) >> 32;
        value = (uint)chunk;
        return true;
    }

    private static bool TryCompose<T>(ulong w, long exponent, bool negative, bool truncated, out T value)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // The JIT compiles one copy per T, in which these tests are constants.
        bool isDouble = typeof(T) == typeof(double);
        int exactPowers = isDouble ? ExactPowersOfTen.Length : ExactPowersOfTenSingle.Length;
        int mantissaBits = isDouble ? EiselLemire.Double.MantissaBits : EiselLemire.Single.MantissaBits;
        T magnitude;
        if (!truncated && w <= (1UL << (mantissaBits + 1)) && exponent > -exactPowers && exponent < exactPowers)
        {
            // Clinger: both operands are exact in T, so one IEEE operation rounds correctly.
            int index = (int)Math.Abs(exponent);
            T power = isDouble ? T.CreateTruncating(ExactPowersOfTen[index]) : T.CreateTruncating(ExactPowersOfTenSingle[index]);
            magnitude = exponent >= 0 ? T.CreateTruncating(w) * power : T.CreateTruncating(w) / power;
        }
        else if (isDouble ? TryBits<EiselLemire.Double>(w, exponent, truncated, out ulong bits) : TryBits<EiselLemire.Single>(w, exponent, truncated, out bits))
        {
            magnitude = isDouble ? T.CreateTruncating(BitConverter.UInt64BitsToDouble(bits)) : T.CreateTruncating(BitConverter.UInt32BitsToSingle((uint)bits));
        }
        else
        {
            value = T.Zero;
            return false;
        }

        // Negation flips the sign bit alone, also for zero and infinity.
        value = negative ? -magnitude : magnitude;
        return true;
    }

    /// <summary>
    /// The bits (without sign) of the value nearest w·10^exponent. A truncated significand lies between w and
    /// w + 1; when both round to the same value that is the answer, otherwise the runtime must decide.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryBits<TFormat>(ulong w, long exponent, bool truncated, out ulong bits)
        where TFormat : EiselLemire.IBinaryFormat
    {
        bits = 0;
        if (!EiselLemire.TryCompute<TFormat>(exponent, w, out ulong mantissa, out int power2))
        {
            return false;
        }

        if (truncated)
        {
            if (!EiselLemire.TryCompute<TFormat>(exponent, w + 1, out ulong upperMantissa, out int upperPower2)
                || upperMantissa != mantissa || upperPower2 != power2)
            {
                return false;
            }
        }

        bits = mantissa | ((ulong)power2 << TFormat.MantissaBits);
        return true;
    }
}
