namespace Distal.Algorithms;

/// <summary>
/// Maps a weight in [0, M] to an integer at most 2⁵¹: w·2^(50 − ⌊log₂ M⌋) rounded to nearest (ties to even) by adding
/// 2⁵², where doubles are spaced exactly 1 apart, and reading the mantissa — three instructions instead of a
/// saturating double-to-long conversion, which cost as much as the distance itself here.
/// </summary>
internal readonly struct WeightQuantizer
{
    public const double Magic = 4503599627370496.0; // 2⁵²
    public static readonly long MagicBits = BitConverter.DoubleToInt64Bits(Magic);
    private readonly int _shift;
    private readonly bool _zero;

    public WeightQuantizer(double max)
    {
        _zero = !(max > 0) || double.IsInfinity(max);
        _shift = _zero ? 0 : 50 - Math.ILogB(max);
        Scale = _shift is > -1000 and < 1000 ? Math.ScaleB(1.0, _shift) : 0;
    }

    /// <summary>2^shift when it is a normal double (the usual case), else 0.</summary>
    public double Scale { get; }

    /// <summary>Whether <see cref="Apply"/> is w·Scale + 2⁵² (so vector code may do the same).</summary>
    public bool IsVectorisable => !_zero && Scale != 0;

    public long Apply(double weight)
    {
        if (_zero)
        {
            return 0;
        }

        double scaled = Scale != 0 ? weight * Scale : Math.ScaleB(weight, _shift);
        return BitConverter.DoubleToInt64Bits(scaled + Magic) - MagicBits;
    }
}
