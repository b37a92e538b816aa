using System.Numerics;

namespace Distal.Tests.Accuracy;

/// <summary>
/// Means, covariances and correlations of double data computed exactly: every double is an integer times a power of
/// two, so after scaling all of them by the smallest power present, sums and sums of products are exact big
/// integers, and each statistic is one exact ratio rounded once to double at the end. Independent of anything the
/// library does (no shifts, no pairwise merges).
/// </summary>
internal sealed class ExactStatistics
{
    private readonly int _p;
    private readonly long _n;
    private readonly int _scaleExponent;
    private readonly BigInteger[] _sums;

    /// <summary>n·Σxⱼxₖ − ΣxⱼΣxₖ = n²·(biased covariance), in scaled integers; row-major p×p.</summary>
    private readonly BigInteger[] _centered;

    public ExactStatistics(double[][] rows)
    {
        _n = rows.Length;
        _p = rows[0].Length;
        _scaleExponent = rows.SelectMany(r => r).Where(v => v != 0).Select(LowestBitExponent).DefaultIfEmpty(0).Min();
        var scaled = rows.Select(r => r.Select(v => ToScaledInteger(v, _scaleExponent)).ToArray()).ToArray();
        _sums = new BigInteger[_p];
        var products = new BigInteger[_p * _p];
        foreach (var row in scaled)
        {
            for (int j = 0; j < _p; j++)
            {
                _sums[j] += row[j];
                for (int k = j; k < _p; k++)
                {
                    products[(j * _p) + k] += row[j] * row[k];
                }
            }
        }

        _centered = new BigInteger[_p * _p];
        for (int j = 0; j < _p; j++)
        {
            for (int k = j; k < _p; k++)
            {
                var value = (_n * products[(j * _p) + k]) - (_sums[j] * _sums[k]);
                _centered[(j * _p) + k] = value;
                _centered[(k * _p) + j] = value;
            }
        }
    }

    public double[] Mean() => [.. _sums.Select(s => Ratio(s, _n, _scaleExponent))];

    /// <summary>Σx per column, rounded once.</summary>
    public double[] Sum() => [.. _sums.Select(s => Ratio(s, 1, _scaleExponent))];

    /// <summary>Covariance, divided by n − 1 (or n with <paramref name="bias"/>); row-major p×p.</summary>
    public double[] Covariance(bool bias = false)
    {
        BigInteger divisor = _n * (bias ? _n : _n - 1);
        return [.. _centered.Select(c => Ratio(c, divisor, 2 * _scaleExponent))];
    }

    /// <summary>Σ(x − mean)², the centered sums of squares (the diagonal of n·biased covariance).</summary>
    public double[] CenteredSumSquares() => [.. Enumerable.Range(0, _p).Select(j => Ratio(_centered[(j * _p) + j], _n, 2 * _scaleExponent))];

    /// <summary>Correlation: sign(c)·√(c² / (c_jj·c_kk)), the ratio exact and rounded once, then one square root.</summary>
    public double[] Correlation()
    {
        var r = new double[_p * _p];
        for (int j = 0; j < _p; j++)
        {
            for (int k = 0; k < _p; k++)
            {
                var c = _centered[(j * _p) + k];
                double square = Ratio(c * c, _centered[(j * _p) + j] * _centered[(k * _p) + k], 0);
                r[(j * _p) + k] = c.Sign * Math.Sqrt(square);
            }
        }

        return r;
    }

    /// <summary>numerator / denominator · 2^exponent, rounded from a quotient of at least 64 significant bits.</summary>
    private static double Ratio(BigInteger numerator, BigInteger denominator, int exponent)
    {
        if (numerator.IsZero)
        {
            return 0;
        }

        int sign = numerator.Sign * denominator.Sign;
        numerator = BigInteger.Abs(numerator);
        denominator = BigInteger.Abs(denominator);
        int shift = (int)Math.Max(0, 64 + denominator.GetBitLength() - numerator.GetBitLength());
        var quotient = (numerator << shift) / denominator;
        return sign * Math.ScaleB((double)quotient, exponent - shift);
    }

    private static int LowestBitExponent(double value)
    {
        long bits = BitConverter.DoubleToInt64Bits(value);
        int biased = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (biased != 0)
        {
            mantissa |= 1L << 52;
        }

        int exponent = (biased == 0 ? 1 : biased) - 1075;
        return exponent + BitOperations.TrailingZeroCount(mantissa);
    }

    private static BigInteger ToScaledInteger(double value, int exponent)
    {
        if (value == 0)
        {
            return BigInteger.Zero;
        }

        long bits = BitConverter.DoubleToInt64Bits(value);
        int biased = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (biased != 0)
        {
            mantissa |= 1L << 52;
        }

        int valueExponent = (biased == 0 ? 1 : biased) - 1075;
        var magnitude = new BigInteger(mantissa) << (valueExponent - exponent);
        return value < 0 ? -magnitude : magnitude;
    }
}
