using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Distal.Data;

/// <summary>
/// Parses one decimal number, <c>[+|-]digits[.digits][(e|E)[+|-]digits]</c>, from UTF-8 text into a correctly rounded
/// <see cref="double"/> or <see cref="float"/> — bit-equal to the runtime's <c>Parse</c>. Clinger's exact fast
/// path, then Eisel–Lemire; anything outside that grammar, or a rounding Eisel–Lemire cannot decide, is reported
/// as not handled so the caller can ask the runtime's parser. This file holds the short path that the CSV row loop
/// inlines; DecimalParser.Careful.cs the general one.
/// </summary>
internal static partial class DecimalParser
{
    private const int MaxSignificandDigits = 19;

    /// <summary>
    /// Parses the number starting at <paramref name="position"/> and moves it past the number. Returns false (and
    /// leaves <paramref name="position"/> alone) when the text is not a plain decimal number or the rounding needs
    /// the runtime's arbitrary-precision parser. Does not look at what follows the number.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParse<T>(ReadOnlySpan<byte> text, ref int position, out T value)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => TryParseShort(text, ref position, out value) || TryParseLong(text, ref position, out value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryParseShort<T>(ReadOnlySpan<byte> text, ref int position, out T value)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        value = default;
        if ((uint)position >= (uint)text.Length || text.Length - position < ShortPathReadableBytes)
        {
            return false;
        }

        int end = ParseShort(ref MemoryMarshal.GetReference(text), position, ref value);
        if (end < 0)
        {
            return false;
        }

        position = end;
        return true;
    }

    /// <summary>
    /// The common case, as inside a CSV buffer: [sign] up to 7 integer digits [. fraction digits] [exponent of at
    /// most 4 digits], at most 19 digits in all (leading zeros included), finite. The caller guarantees
    /// <see cref="ShortPathReadableBytes"/> readable bytes from <paramref name="position"/> of <paramref name="text"/>.
    /// Writes the value to <paramref name="destination"/> and returns the position after the number, or −1 (the
    /// destination then holds garbage) for anything else. The integer digits are found and converted with one
    /// 8-byte load (SWAR), the fraction digits with three more; the loads and their digit counts do not wait on each
    /// other, and the counts are combined without branches, so a field costs the same whatever its digit layout
    /// (unlike a digit loop, whose every step waits on the last). No span and no out-parameter: everything stays in
    /// registers in the caller's loop (measured: the span form spilled most of its state to the stack).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int ParseShort<T>(ref byte text, int position, ref T destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // Branch-free where the data decide (sign, digit counts): a sign that is random from field to field would
        // otherwise cost a mispredicted branch on every other field.
        int p = AfterSign(ref text, position, out bool negative);
        ulong head = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref text, p));
        int integerDigits = DigitRun(head);
        ulong w = RunValue(head, integerDigits);
        p += integerDigits;
        int fractionDigits = 0;
        if (Unsafe.Add(ref text, p) == (byte)'.')
        {
            // The vector path reads the 16 bytes before the fraction too (lanes it then clears), so not near the
            // start of the text.
            ulong fraction = SixteenDigits.Vectorized && p >= 15
                ? SixteenDigits.Convert(ref Unsafe.Add(ref text, p + 1), out fractionDigits)
                : FirstSixteenDigits(ref Unsafe.Add(ref text, p + 1), out fractionDigits);
            if ((fractionDigits == 16) & (Unsafe.Add(ref text, p + 17) - (uint)'0' <= 9))
            {
                // A third word only for 17 or more fraction digits: one branch (`&`, not `&&`, which would branch on
                // 16 digits alone, a coin toss in a %.17g column), taken for all fields of a column written like
                // that or for none, is cheaper than converting an empty third word every time.
                ulong high = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref text, p + 17));
                int highDigits = DigitRun(high);
                fractionDigits += highDigits;
                fraction = (fraction * PowerOfTen(highDigits)) + RunValue(high, highDigits);
            }

            // With more than 19 digits w would overflow; the careful path truncates such significands.
            if (integerDigits + fractionDigits > MaxSignificandDigits)
            {
                return -1;
            }

            w = (w * PowerOfTen(fractionDigits)) + fraction;
            p += 1 + fractionDigits;
        }

        // Eight integer digits may continue past the load; no digit at all is not a number.
        if (integerDigits == 8 || integerDigits + fractionDigits == 0)
        {
            return -1;
        }

        long exponent = -fractionDigits;
        if ((Unsafe.Add(ref text, p) | 0x20) == (byte)'e')
        {
            p++;
            byte exponentSign = Unsafe.Add(ref text, p);
            bool negativeExponent = exponentSign == (byte)'-';
            p += Unsafe.BitCast<bool, byte>(negativeExponent) + Unsafe.BitCast<bool, byte>(exponentSign == (byte)'+');
            ulong exponentWord = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref text, p));
            int exponentDigits = DigitRun(exponentWord);

            // No exponent digits, or more than four: leave it to the careful parser.
            if (exponentDigits is 0 or > 4)
            {
                return -1;
            }

            int written = (int)RunValue(exponentWord, exponentDigits);
            exponent += negativeExponent ? -written : written;
            p += exponentDigits;
        }

        return ComposeShort(w, exponent, negative, ref destination) ? p : -1;
    }

    /// <summary>
    /// The plainest number, [sign] 1–8 integer digits '.' 1–16 fraction digits, known to have its first '.' at
    /// <paramref name="dot"/> and to end at <paramref name="end"/> (both found by one vector scan). The fraction is converted from the 16 bytes that end
    /// there, a load that waits only on the scan, not on the integer digits as <see cref="ParseShort{T}"/>'s reads do,
    /// and its digits are counted by subtraction rather than by a search; so a field's conversion finishes sooner
    /// and more of neighbouring fields' work overlaps. Needs <see cref="SixteenDigits.Vectorized"/>, 16 readable bytes
    /// before <paramref name="end"/> and 8 from <paramref name="position"/>. Writes the value and returns true, or
    /// false (the destination then holds garbage) for anything else, which <see cref="ParseShort{T}"/> then takes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryParsePlain<T>(ref byte text, int position, int dot, int end, ref T destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int p = AfterSign(ref text, position, out bool negative);
        ulong head = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref text, p));
        int integerDigits = dot - p;
        int fractionDigits = end - dot - 1;
        Vector128<byte> tail = Vector128.LoadUnsafe(ref Unsafe.Add(ref text, end - 16)) - Vector128.Create((byte)'0');
        uint nonDigits = ~Vector128.LessThan(tail, Vector128.Create((byte)10)).ExtractMostSignificantBits() & (0xFFFF0000u >> fractionDigits) & 0xFFFF;
        // Plain when 1–8 integer digits (all of them in the head word), 1–16 fraction digits, 19 digits at most in
        // all: each failed condition sets bits of `unplain`, so that one test remains (a compare per condition,
        // each made a 0/1 value and and-ed, cost a fifth of this function's instructions).
        uint unplain = ((uint)(integerDigits - 1) & ~7u) | ((uint)(fractionDigits - 1) & ~15u)
            | (uint)((MaxSignificandDigits - integerDigits - fractionDigits) >> 31) | nonDigits
            | (uint)(DigitRun(head) ^ integerDigits);
        ulong fraction = SixteenDigits.ValueOf(tail & SixteenDigits.LastLanes((int)Math.Min((uint)fractionDigits, 16)));
        ulong w = (RunValue(head, integerDigits) * PowerOfTen(fractionDigits)) + fraction;
        return ComposeShort(w, -fractionDigits, negative, ref destination) & unplain == 0;
    }

    /// <summary>The position after an optional '+' or '-' at <paramref name="position"/>, without a branch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int AfterSign(ref byte text, int position, out bool negative)
    {
        byte first = Unsafe.Add(ref text, position);
        negative = first == (byte)'-';
        return position + Unsafe.BitCast<bool, byte>(negative) + Unsafe.BitCast<bool, byte>(first == (byte)'+');
    }

    /// <summary>The bytes <see cref="ParseShort{T}"/> may read from a field's start: sign, 8, '.', 24, 'e', sign, 8, and slack.</summary>
    internal const int ShortPathReadableBytes = 48;

    /// <summary>The value and count of the digits (at most 16) at the start of <paramref name="text"/>, with two 8-byte words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong FirstSixteenDigits(ref byte text, out int count)
    {
        ulong low = Unsafe.ReadUnaligned<ulong>(ref text);
        ulong middle = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref text, 8));
        int lowDigits = DigitRun(low);
        int middleDigits = DigitRun(middle) & -(lowDigits >> 3);
        count = lowDigits + middleDigits;
        return (RunValue(low, lowDigits) * PowerOfTen(middleDigits)) + RunValue(middle, middleDigits);
    }

    /// <summary>How many of the eight bytes of <paramref name="chunk"/> (first byte lowest) are digits before the first non-digit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int DigitRun(ulong chunk)
    {
        // A byte is a digit iff neither adding 0x46 nor subtracting 0x30 sets its top bit. Carries and borrows only
        // move towards later bytes, so the lowest flagged byte is exactly the first non-digit.
        ulong nonDigit = ((chunk + 0x4646464646464646) | (chunk - 0x3030303030303030)) & 0x8080808080808080;
        return BitOperations.TrailingZeroCount(nonDigit) >> 3;
    }

    /// <summary>The value of the first <paramref name="run"/> (0–8) digits of <paramref name="chunk"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong RunValue(ulong chunk, int run)
    {
        // Move the run to the top bytes; the bytes shifted in are zero digits, which do not change the value.
        // For run = 0 the shift would be 64, which x64 takes modulo 64; the mask makes it 0 without a branch.
        ulong digits = ((chunk - 0x3030303030303030) << (8 * (8 - run))) & (ulong)-(long)((run + 7) >> 3);
        digits = (digits * 10) + (digits >> 8);
        return (((digits & 0x000000FF000000FF) * 0x000F424000000064) + (((digits >> 16) & 0x000000FF000000FF) * 0x0000271000000001)) >> 32;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong PowerOfTen(int exponent) => Unsafe.Add(ref MemoryMarshal.GetReference(PowersOfTen), exponent & 31);

    private static ReadOnlySpan<ulong> PowersOfTen =>
        [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000, 100000000000, 1000000000000,
         10000000000000, 100000000000000, 1000000000000000, 10000000000000000, 100000000000000000, 1000000000000000000, 10000000000000000000,

         // Padding, so that an index masked to 0–31 stays inside; only digit counts of 0–19 are ever used.
         0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>
    /// Composes an exact (not truncated) significand with one Eisel–Lemire product; false when it cannot decide or
    /// the value overflows. Clinger's path is left out here: it is not needed for exactness, and choosing it for the
    /// fields with at most 15–16 digits (some in any column written with 17) would be a mispredicted branch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ComposeShort<T>(ulong w, long exponent, bool negative, ref T destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            bool ok = EiselLemire.TryCompute<EiselLemire.Double>(exponent, w, out ulong mantissa, out int power2);
            Unsafe.As<T, ulong>(ref destination) = mantissa | ((ulong)power2 << 52) | ((ulong)Unsafe.BitCast<bool, byte>(negative) << 63);
            return ok & power2 != EiselLemire.Double.InfinitePower;
        }

        if (typeof(T) == typeof(float))
        {
            bool ok = EiselLemire.TryCompute<EiselLemire.Single>(exponent, w, out ulong mantissa, out int power2);
            Unsafe.As<T, uint>(ref destination) = (uint)mantissa | ((uint)power2 << 23) | ((uint)Unsafe.BitCast<bool, byte>(negative) << 31);
            return ok & power2 != EiselLemire.Single.InfinitePower;
        }

        return false;
    }
}
