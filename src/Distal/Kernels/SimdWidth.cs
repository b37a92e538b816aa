using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Distal.Kernels;

/// <summary>The vector width the managed kernels run with.</summary>
internal enum SimdWidth
{
    Scalar = 0,
    Bits128 = 128,
    Bits256 = 256,
    Bits512 = 512,
}

/// <summary>
/// Chooses the managed kernels' vector width once per process: the widest width that is faster here, unless
/// <c>DISTAL_SIMD=scalar|128|256|512</c> forces one (so the test suite can run once per path).
/// </summary>
internal static class SimdWidths
{
    public const string OverrideVariable = "DISTAL_SIMD";

    private static readonly Lazy<SimdWidth> defaultWidth = new(() => Choose(Environment.GetEnvironmentVariable(OverrideVariable)));

    /// <summary>The width for this process; a bad <c>DISTAL_SIMD</c> value throws its own clear exception here.</summary>
    public static SimdWidth Default => defaultWidth.Value;

    /// <summary>Every width this CPU can run, narrowest first.</summary>
    public static IReadOnlyList<SimdWidth> Supported { get; } = ListSupported();

    public static bool IsSupported(SimdWidth width) => width switch
    {
        SimdWidth.Scalar => true,
        SimdWidth.Bits128 => Vector128.IsHardwareAccelerated,
        SimdWidth.Bits256 => Vector256.IsHardwareAccelerated,
        SimdWidth.Bits512 => Vector512.IsHardwareAccelerated,
        _ => false,
    };

    public static string Label(SimdWidth width) => width == SimdWidth.Scalar ? "scalar" : ((int)width).ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static SimdWidth Choose(string? requested)
    {
        string? value = requested?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(value))
        {
            return Preferred();
        }

        SimdWidth width = value switch
        {
            "scalar" => SimdWidth.Scalar,
            "128" => SimdWidth.Bits128,
            "256" => SimdWidth.Bits256,
            "512" => SimdWidth.Bits512,
            _ => throw new DistalException(FailureKind.Usage, $"{OverrideVariable}='{Excerpt.Of(requested)}' is not one of scalar, 128, 256, 512."),
        };
        if (!IsSupported(width))
        {
            throw new DistalException(FailureKind.Usage, $"{OverrideVariable}={value} was requested but this CPU does not accelerate {value}-bit vectors.");
        }

        return width;
    }

    /// <summary>
    /// 512-bit vectors only where they are executed at full width. AMD Zen 4 (family 19h) splits every 512-bit
    /// operation into two 256-bit halves; measured there, the 256-bit Gram kernel was as fast as the 512-bit one
    /// (docs/kernels.md), and 256-bit code leaves half the registers' bandwidth to the other hyperthread.
    /// </summary>
    private static SimdWidth Preferred()
    {
        if (Vector512.IsHardwareAccelerated && !IsDoublePumpedAvx512())
        {
            return SimdWidth.Bits512;
        }

        if (Vector256.IsHardwareAccelerated)
        {
            return SimdWidth.Bits256;
        }

        return Vector128.IsHardwareAccelerated ? SimdWidth.Bits128 : SimdWidth.Scalar;
    }

    private static bool IsDoublePumpedAvx512()
    {
        if (!X86Base.IsSupported)
        {
            return false;
        }

        (int _, int ebx, int ecx, int edx) = X86Base.CpuId(0, 0);
        bool amd = ebx == 0x68747541 && edx == 0x69746e65 && ecx == 0x444d4163; // "AuthenticAMD"
        if (!amd)
        {
            return false;
        }

        (int eax, _, _, _) = X86Base.CpuId(1, 0);
        int family = ((eax >> 8) & 0xF) + ((eax >> 20) & 0xFF);
        return family == 0x19;
    }

    private static List<SimdWidth> ListSupported()
    {
        var list = new List<SimdWidth>();
        foreach (SimdWidth width in new[] { SimdWidth.Scalar, SimdWidth.Bits128, SimdWidth.Bits256, SimdWidth.Bits512 })
        {
            if (IsSupported(width))
            {
                list.Add(width);
            }
        }

        return list;
    }
}
