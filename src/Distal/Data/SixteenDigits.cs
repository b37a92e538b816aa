using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Distal.Kernels;

namespace Distal.Data;

/// <summary>
/// Counts and converts up to 16 leading ASCII digits with 128-bit vector instructions: one compare finds the
/// digits, a second load right-aligns them, and three multiply-add steps (digits → pairs → groups of four → groups
/// of eight) give the value, against two words of SWAR arithmetic in <see cref="DecimalParser.FirstSixteenDigits"/>,
/// which it replaces when <see cref="Vectorized"/> (x86 with SSE4.1, and <c>DISTAL_SIMD</c> not <c>scalar</c>).
/// </summary>
internal static class SixteenDigits
{
    /// <summary>
    /// Constant per process, so the JIT keeps only one of the two paths in the compiled parser. Only
    /// <c>DISTAL_SIMD=scalar</c> is looked at here, without validating the variable: a bad value is reported as a
    /// usage error where the kernels choose their width, not as a failed type initializer in the middle of a read.
    /// </summary>
    public static readonly bool Vectorized = Ssse3.IsSupported && Sse41.IsSupported
        && !string.Equals(Environment.GetEnvironmentVariable(SimdWidths.OverrideVariable)?.Trim(), "scalar", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// 16 bytes of 0x00 then 16 of 0xFF: the 16 bytes at offset k keep the last k lanes of a vector.
    /// </summary>
    private static ReadOnlySpan<byte> KeepLast =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    ];

    /// <summary>
    /// The value and count of the digits (at most 16) at <paramref name="text"/>. The caller guarantees that the 16
    /// bytes before it and the 16 from it are readable.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Convert(ref byte text, out int count)
    {
        Vector128<byte> digits = Vector128.LoadUnsafe(ref text) - Vector128.Create((byte)'0');
        uint nonDigits = ~Vector128.LessThan(digits, Vector128.Create((byte)10)).ExtractMostSignificantBits();
        count = System.Numerics.BitOperations.TrailingZeroCount(nonDigits | 0x10000);

        // Reload so that the last digit is in lane 15, and clear the lanes before the first digit: the value is then
        // exactly the digits', whatever their count.
        Vector128<byte> aligned = Vector128.LoadUnsafe(ref Unsafe.Subtract(ref text, 16 - count)) - Vector128.Create((byte)'0');
        return ValueOf(aligned & LastLanes(count));
    }

    /// <summary>A vector whose last <paramref name="count"/> (0–16) lanes are all ones and the others zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> LastLanes(int count) => Vector128.LoadUnsafe(ref Unsafe.AsRef(in KeepLast[0]), (nuint)count);

    /// <summary>The value of 16 lanes of digit values 0–9, lane 0 the most significant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ValueOf(Vector128<byte> aligned)
    {
        Vector128<short> pairs = Ssse3.MultiplyAddAdjacent(aligned, Vector128.Create((sbyte)10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1));
        Vector128<int> fours = Sse2.MultiplyAddAdjacent(pairs, Vector128.Create((short)100, 1, 100, 1, 100, 1, 100, 1));
        Vector128<ushort> packed = Sse41.PackUnsignedSaturate(fours, fours);
        Vector128<int> eights = Sse2.MultiplyAddAdjacent(packed.AsInt16(), Vector128.Create((short)10000, 1, 10000, 1, 10000, 1, 10000, 1));
        return ((ulong)(uint)eights.ToScalar() * 100_000_000) + (uint)eights.GetElement(1);
    }
}
