using static Distal.Tests.Kernels.ReferenceLinearAlgebra;

namespace Distal.Tests.Kernels;

public class CholeskyKernelTests
{
    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void CholeskySolve_matches_gaussian_elimination(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        var random = new Random(41);
        foreach ((int n, int nrhs) in new[] { (0, 0), (0, 3), (1, 1), (2, 3), (5, 1), (8, 4), (17, 2), (33, 5), (70, 3), (130, 1) })
        {
            double[] a = SymmetricPositiveDefinite(random, n);
            double[] b = Random(random, n * nrhs);
            double[] expected = GaussSolve(a, b, n, nrhs);
            double[] x = (double[])b.Clone();
            double[] factor = (double[])a.Clone();
            Assert.True(kernels.CholeskySolve(factor, n, x, nrhs), $"n = {n}: reported not positive definite.");
            double scale = Frobenius(expected) + 1e-300;
            Assert.True(FrobeniusDifference(expected, x) <= 1e-13 * scale, $"n = {n}: solution differs.");

            // The factor is in the lower triangle: L·Lᵀ reproduces a.
            double[] l = new double[n * n];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j <= i; j++)
                {
                    l[(i * n) + j] = factor[(i * n) + j];
                }
            }

            double[] llt = Multiply(l, n, n, Transpose(l, n, n), n);
            Assert.True(FrobeniusDifference(llt, a) <= 1e-14 * (Frobenius(a) + 1e-300), $"n = {n}: L·Lᵀ ≠ A.");
        }
    }

    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void CholeskySolve_rejects_matrices_that_are_not_positive_definite(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        double[] indefinite = [2, 3, 3, 2];
        Assert.False(kernels.CholeskySolve(indefinite, 2, new double[2], 1));
        double[] zero = new double[9];
        Assert.False(kernels.CholeskySolve(zero, 3, new double[3], 1));
        double[] negative = [-1];
        Assert.False(kernels.CholeskySolve(negative, 1, new double[1], 1));
        double[] withNaN = [4, 1, 1, double.NaN];
        Assert.False(kernels.CholeskySolve(withNaN, 2, new double[2], 1));
        Assert.Throws<ArgumentException>(() => kernels.CholeskySolve(new double[4], 2, new double[3], 2));
    }

    internal static double[] SymmetricPositiveDefinite(Random random, int n)
    {
        double[] b = Random(random, n * n);
        double[] a = Multiply(b, n, n, Transpose(b, n, n), n);
        for (int i = 0; i < n; i++)
        {
            a[(i * n) + i] += n;
        }

        return a;
    }
}
