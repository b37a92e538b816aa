using System.Numerics;
using Distal.Kernels;

namespace Distal.Tests.Kernels;

/// <summary>
/// A cluster's running moments through a long sequence of rows joining and leaving, against exact rational arithmetic
/// on the rows still in: the double-double sum within one rounding of the exact sum, the mean and the scatter within a
/// few roundings, per entry; and all of them exactly 0 once the last row leaves. Rows near 0, as the caller
/// (<c>ClusterAggregates</c>) gives them, shifted by one of its rows.
/// </summary>
[Trait("Category", "Algorithm")]
public class ClusterMomentsTests
{
    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(3, 0.0)]
    [InlineData(4, 10.0)]
    [InlineData(9, -3.0)]
    [InlineData(20, 1.0)]
    public void Moments_follow_the_rows_in_the_cluster(int p, double offset)
    {
        var random = new Random(p + (int)offset);
        var hi = new double[p];
        var lo = new double[p];
        var mean = new double[p];
        double scatter = 0;
        var members = new List<double[]>();
        for (int step = 0; step < 3000; step++)
        {
            bool add = members.Count < 2 || random.NextDouble() < 0.55;
            if (add)
            {
                double[] row = [.. Enumerable.Range(0, p).Select(_ => offset + (random.NextDouble() * 2) - 1)];
                ClusterMoments.Add(row, hi, lo, mean, ref scatter, members.Count);
                members.Add(row);
            }
            else
            {
                int at = random.Next(members.Count);
                ClusterMoments.Remove(members[at], hi, lo, mean, ref scatter, members.Count);
                members.RemoveAt(at);
            }

            if (step % 100 == 99)
            {
                Check(members, hi, lo, mean, scatter, p);
            }
        }

        while (members.Count > 0)
        {
            ClusterMoments.Remove(members[^1], hi, lo, mean, ref scatter, members.Count);
            members.RemoveAt(members.Count - 1);
        }

        Assert.All(hi.Concat(lo).Concat(mean), v => Assert.Equal(0, v));
        Assert.Equal(0, scatter);
    }

    private static void Check(List<double[]> members, double[] hi, double[] lo, double[] mean, double scatter, int p)
    {
        int n = members.Count;
        var exactMeans = new Rational[p];
        for (int c = 0; c < p; c++)
        {
            var sum = Rational.Zero;
            foreach (var row in members)
            {
                sum += Rational.Of(row[c]);
            }

            // The double-double sum: hi + lo is the exact sum to within one rounding.
            double rounded = sum.ToDouble();
            Assert.True(Math.Abs((hi[c] + lo[c]) - rounded) <= Math.Abs(rounded) * 2.3e-16, $"sum {c}: {hi[c] + lo[c]} against {rounded}");
            exactMeans[c] = sum / n;
            double exactMean = exactMeans[c].ToDouble();
            Assert.True(Math.Abs(mean[c] - exactMean) <= 1e-12 * Math.Max(1, Math.Abs(exactMean)), $"mean {c}: {mean[c]} against {exactMean}");
        }

        var exactScatter = Rational.Zero;
        foreach (var row in members)
        {
            for (int c = 0; c < p; c++)
            {
                var d = Rational.Of(row[c]) - exactMeans[c];
                exactScatter += d * d;
            }
        }

        double expected = exactScatter.ToDouble();
        Assert.True(Math.Abs(scatter - expected) <= 1e-11 * expected, $"scatter {scatter} against {expected}");
    }

    /// <summary>An exact fraction of big integers: enough for sums, means and squares of a few thousand doubles.</summary>
    private readonly record struct Rational(BigInteger Numerator, BigInteger Denominator)
    {
        public static Rational Zero => new(0, 1);

        public static Rational Of(double value)
        {
            long bits = BitConverter.DoubleToInt64Bits(value);
            int exponent = (int)((bits >> 52) & 0x7FF);
            long mantissa = bits & 0xFFFFFFFFFFFFFL;
            if (exponent != 0)
            {
                mantissa |= 1L << 52;
            }

            int shift = (exponent == 0 ? 1 : exponent) - 1075;
            BigInteger numerator = bits < 0 ? -mantissa : mantissa;
            return shift >= 0 ? new(numerator << shift, 1) : Reduce(numerator, BigInteger.One << -shift);
        }

        public static Rational operator +(Rational a, Rational b) => Reduce((a.Numerator * b.Denominator) + (b.Numerator * a.Denominator), a.Denominator * b.Denominator);

        public static Rational operator -(Rational a, Rational b) => Reduce((a.Numerator * b.Denominator) - (b.Numerator * a.Denominator), a.Denominator * b.Denominator);

        public static Rational operator *(Rational a, Rational b) => Reduce(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

        public static Rational operator /(Rational a, int b) => Reduce(a.Numerator, a.Denominator * b);

        public double ToDouble()
        {
            // Scaled to 64 significant bits before the division, so the quotient is good to a double's last bit.
            if (Numerator.IsZero)
            {
                return 0;
            }

            long scale = Denominator.GetBitLength() - Numerator.GetBitLength() + 64;
            BigInteger scaled = scale >= 0 ? (Numerator << (int)scale) / Denominator : Numerator / (Denominator << (int)-scale);
            return Math.ScaleB((double)scaled, (int)-scale);
        }

        private static Rational Reduce(BigInteger numerator, BigInteger denominator)
        {
            var divisor = BigInteger.GreatestCommonDivisor(numerator, denominator);
            return divisor.IsOne || divisor.IsZero ? new(numerator, denominator) : new(numerator / divisor, denominator / divisor);
        }
    }
}
