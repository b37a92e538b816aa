namespace Distal.Tests.Infrastructure;

public static class Compare
{
    /// <summary>Asserts |a − e| ≤ tolerance · max(|e|, floor) element-wise, naming the first offending index.</summary>
    public static void Relative(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double tolerance, double floor = 1e-300, string what = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double scale = Math.Max(Math.Abs(expected[i]), floor);
            double error = Math.Abs(actual[i] - expected[i]);
            if (!(error <= tolerance * scale))
            {
                Assert.Fail($"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (relative error {error / scale:E2} > {tolerance:E0})");
            }
        }
    }

    /// <summary>Relative comparison of matrices scaled by the largest magnitude of the expected matrix.</summary>
    public static void MatrixNorm(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double tolerance, string what = "")
    {
        double scale = 0;
        foreach (double v in expected)
        {
            scale = Math.Max(scale, Math.Abs(v));
        }

        Relative(expected, actual, tolerance, floor: Math.Max(scale, 1e-300), what);
    }

    /// <summary>Asserts |a − e| ≤ tolerance · scale element-wise, with a rounding scale of its own for each entry.</summary>
    public static void Scaled(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, ReadOnlySpan<double> scale, double tolerance, string what = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]);
            if (!(error <= tolerance * Math.Max(scale[i], 1e-300)))
            {
                Assert.Fail($"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (error {error:E2} > {tolerance:E0} × its rounding scale {scale[i]:E2})");
            }
        }
    }

    public static void Bitwise(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, string what = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]))
            {
                Assert.Fail($"{what}[{i}]: {expected[i]:R} and {actual[i]:R} differ in bits");
            }
        }
    }
}
