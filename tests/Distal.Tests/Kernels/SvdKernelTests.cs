using static Distal.Tests.Kernels.ReferenceLinearAlgebra;

namespace Distal.Tests.Kernels;

public class SvdKernelTests
{
    private const double Eps = 2.3e-16;

    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void Svd_of_random_shapes_reconstructs_a(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        var random = new Random(61);
        foreach ((int m, int n) in new[] { (0, 0), (0, 3), (3, 0), (1, 1), (1, 5), (5, 1), (2, 2), (7, 4), (4, 7), (17, 17), (50, 20), (20, 50), (300, 33), (9, 64) })
        {
            double[] a = Random(random, m * n);
            Check(kernels, a, m, n, $"{m}×{n}", out _);
        }
    }

    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void Svd_recovers_known_singular_values_of_an_ill_conditioned_matrix(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        var random = new Random(62);
        foreach ((int m, int n) in new[] { (40, 12), (12, 40), (25, 25) })
        {
            int kk = Math.Min(m, n);

            // Singular values log-spaced from 1 down to 1e-10 (condition number 1e10).
            double[] sigma = new double[kk];
            for (int i = 0; i < kk; i++)
            {
                sigma[i] = Math.Pow(10, -10.0 * i / (kk - 1));
            }

            double[] u0 = FirstColumns(RandomOrthogonal(random, m), m, kk);
            double[] v0 = FirstColumns(RandomOrthogonal(random, n), n, kk);
            double[] a = ComposeSvd(u0, sigma, Transpose(v0, n, kk), m, n);
            Check(kernels, a, m, n, $"ill-conditioned {m}×{n}", out double[] s);

            // Forming a rounds it by ~ε‖A‖, which moves every singular value by about that much (Weyl).
            for (int i = 0; i < kk; i++)
            {
                Assert.True(Math.Abs(s[i] - sigma[i]) <= 50 * Eps * Math.Sqrt(m + n), $"σ{i} = {s[i]}, expected {sigma[i]}.");
            }
        }
    }

    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void Svd_of_rank_deficient_matrix_keeps_u_orthonormal(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        var random = new Random(63);
        const int m = 30, n = 8;
        double[] a = Random(random, m * n);
        for (int i = 0; i < m; i++)
        {
            a[(i * n) + 1] = 0;
            a[(i * n) + 5] = 2 * a[(i * n) + 3];
            a[(i * n) + 6] = 0;
        }

        Check(kernels, a, m, n, "rank-deficient", out double[] s);
        Assert.True(s[^1] <= 1e-14 * s[0] && s[^2] <= 1e-14 * s[0] && s[^3] <= 1e-14 * s[0]);
        Check(kernels, new double[12], 3, 4, "zero", out double[] zeros);
        Assert.All(zeros, v => Assert.Equal(0.0, v));
    }

    private static double[] FirstColumns(double[] q, int rows, int columns)
    {
        double[] result = new double[rows * columns];
        int n = q.Length / rows;
        for (int i = 0; i < rows; i++)
        {
            Array.Copy(q, i * n, result, i * columns, columns);
        }

        return result;
    }

    /// <summary>‖A − U·S·Vᵀ‖ ≤ 1e-13‖A‖, orthonormal U and V, s descending and non-negative.</summary>
    private static void Check(Distal.Kernels.IDenseKernels kernels, double[] a, int m, int n, string what, out double[] s)
    {
        int kk = Math.Min(m, n);
        s = new double[kk];
        double[] u = new double[m * kk];
        double[] vt = new double[kk * n];
        kernels.Svd(a, m, n, s, u, vt);
        double scale = Frobenius(a);
        double residual = FrobeniusDifference(ComposeSvd(u, s, vt, m, n), a);
        Assert.True(residual <= 1e-13 * scale, $"{what}: ‖A − USVᵀ‖ = {residual}, ‖A‖ = {scale}.");
        Assert.True(OrthonormalityError(u, m, kk) <= 1e-13 * Math.Max(1, kk), $"{what}: U not orthonormal.");
        Assert.True(OrthonormalityError(Transpose(vt, kk, n), n, kk) <= 1e-13 * Math.Max(1, kk), $"{what}: V not orthonormal.");
        for (int i = 0; i < kk; i++)
        {
            Assert.True(s[i] >= 0 && (i == 0 || s[i - 1] >= s[i]), $"{what}: singular values not descending/non-negative.");
        }
    }
}
