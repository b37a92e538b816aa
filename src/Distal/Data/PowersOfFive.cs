namespace Distal.Data;

/// <summary>
/// 128-bit truncated approximations of 5^q for q in [<see cref="SmallestExponent"/>, <see cref="LargestExponent"/>],
/// the table of the Eisel–Lemire algorithm (Lemire, "Number parsing at a gigabyte per second", 2021). Entry q is at
/// index 2·(q − SmallestExponent): high word, then low word, normalised so the high word's top bit is set.
/// </summary>
/// <remarks>
/// Constant data in the assembly (PowersOfFive.Table.cs, written by scripts/make-powers-of-five.py), read at a fixed
/// address: computing it at first use with big-integer arithmetic took about 6 ms of every process that parses a
/// number. DecimalParserTests rebuilds each entry from the definition and compares.
/// </remarks>
internal static partial class PowersOfFive
{
    public const int SmallestExponent = -342;
    public const int LargestExponent = 308;
}
