using Distal.Algorithms;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Moments;

/// <summary>
/// Finite data whose statistics leave the double range: covariance and moments name the column instead of returning
/// a silent infinity; QR and SVD scale as LAPACK does and return the right, finite R and singular values.
/// </summary>
[Trait("Category", "Algorithm")]
public class OverflowTests
{
    /// <summary>2^664 ≈ 1.2e200: a power of two, so scaling by it is exact.</summary>
    private static readonly double Huge = Math.ScaleB(1.0, 664);

    private static Table<double> Data(bool huge)
    {
        var random = new Random(42);
        var table = Table<double>.Create(60, 3);
        for (int i = 0; i < 60; i++)
        {
            table[i, 0] = random.NextDouble() - 0.5;
            table[i, 1] = (random.NextDouble() - 0.5) * (huge ? Huge : 1);
            table[i, 2] = random.NextDouble();
        }

        return table;
    }

    [Fact]
    public void Covariance_of_values_near_1e200_names_the_column()
    {
        var error = Assert.Throws<DistalException>(() => new Covariance().Compute(Data(huge: true)));
        Assert.Equal(FailureKind.Input, error.Kind);
        Assert.StartsWith("covariance: the covariance of column 2 is not finite", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Moments_of_values_near_1e200_name_the_column()
    {
        var error = Assert.Throws<DistalException>(() => new LowOrderMoments().Compute(Data(huge: true)));
        Assert.Equal(FailureKind.Input, error.Kind);
        Assert.Contains("of column 2 is not finite", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Distributed_covariance_raises_the_same_error_on_every_rank()
    {
        var data = Data(huge: true);
        var counts = new[] { 20, 0, 40 };
        var seen = new string?[3];
        Assert.Throws<DistalException>(() => Ranks.Run(3, s =>
        {
            try
            {
                return new Covariance { Distributed = true }.Compute(Ranks.Share(data, counts, s.Rank));
            }
            catch (DistalException e)
            {
                seen[s.Rank] = e.Cause;
                throw;
            }
        }));
        Assert.All(seen, cause => Assert.StartsWith("covariance: the covariance of column 2 is not finite", cause, StringComparison.Ordinal));
    }

    [Fact]
    public void Qr_and_svd_of_values_near_1e200_are_the_scaled_results_of_the_small_data()
    {
        // Column 2 scaled by 2^664 (about 1e200): X^T X would overflow, but Householder QR scales as LAPACK does.
        var large = new Qr().Compute(Data(huge: true)).MatrixR;
        Assert.All(large.Span.ToArray(), v => Assert.True(double.IsFinite(v), $"R entry {v}"));

        // The Gram identity RᵀR = XᵀX, column 2 against itself, holds relative to its (huge) scale.
        double gram = 0;
        for (int i = 0; i < 3; i++)
        {
            gram += (large[i, 1] / Huge) * (large[i, 1] / Huge);
        }

        double direct = Data(huge: false).Span.ToArray().Where((_, k) => k % 3 == 1).Sum(v => v * v);
        Compare.Relative([direct], [gram], 1e-12, what: "column 2's squared norm from R");

        var svd = new Svd().Compute(Data(huge: true));
        Assert.All(svd.SingularValues, v => Assert.True(double.IsFinite(v)));
        Compare.Relative([Math.Sqrt(direct)], [svd.SingularValues[0] / Huge], 1e-12, what: "largest singular value");
    }
}
