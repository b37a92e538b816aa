using Distal.Kernels;
using static Distal.Tests.Kernels.ReferenceLinearAlgebra;

namespace Distal.Tests.Kernels;

public class QrKernelTests
{
    private const double Eps = 2.3e-16;

    private static readonly (int M, int N)[] Shapes =
    [
        (0, 1), (0, 4), (1, 1), (1, 3), (3, 1), (2, 2), (4, 3), (3, 5), (7, 7), (9, 4), (17, 8), (33, 16), (64, 17),
        (100, 13), (257, 20), (513, 33), (1000, 50), (5, 40), (40, 70),
    ];

    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void QrFactor_reconstructs_a_with_orthonormal_q_and_nonnegative_diagonal(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        var random = new Random(31);
        foreach ((int m, int n) in Shapes)
        {
            double[] a = Random(random, m * n);
            int kk = Math.Min(m, n);
            double[] r = new double[kk * n];
            double[] q = new double[m * kk];
            kernels.QrFactor((double[])a.Clone(), m, n, r, q, threads: 2);
            CheckFactorization(a, m, n, r, q, $"{m}×{n}");

            // The thin QR with a positive diagonal is unique for full column rank: compare with Givens rotations.
            double[] expectedR = GivensR(a, m, n);
            double scale = Frobenius(a) + 1e-300;
            Assert.True(
                MaxAbsDifference(expectedR, r) <= 50 * Eps * Math.Sqrt(m + 1) * scale,
                $"{m}×{n}: R differs from the Givens reference by {MaxAbsDifference(expectedR, r)}.");
        }
    }

    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void QrFactor_without_q_gives_the_same_r(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        var random = new Random(32);
        foreach ((int m, int n) in Shapes)
        {
            double[] a = Random(random, m * n);
            int kk = Math.Min(m, n);
            double[] withQ = new double[kk * n];
            double[] withoutQ = new double[kk * n];
            kernels.QrFactor((double[])a.Clone(), m, n, withQ, new double[m * kk], 1);
            kernels.QrFactor((double[])a.Clone(), m, n, withoutQ, Span<double>.Empty, 1);
            Assert.True(
                MaxAbsDifference(withQ, withoutQ) <= 10 * Eps * (Frobenius(a) + 1e-300),
                $"{m}×{n}: R with and without Q differ.");
        }
    }

    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void QrFactor_handles_rank_deficient_and_zero_columns(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        var random = new Random(33);
        const int m = 50, n = 6;
        double[] a = Random(random, m * n);
        for (int i = 0; i < m; i++)
        {
            a[(i * n) + 2] = 0;                                     // a zero column
            a[(i * n) + 4] = a[(i * n) + 1] - (3 * a[(i * n) + 0]); // a dependent column
        }

        double[] r = new double[n * n];
        double[] q = new double[m * n];
        kernels.QrFactor((double[])a.Clone(), m, n, r, q, 1);
        CheckFactorization(a, m, n, r, q, "rank-deficient");
    }

    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void QrFactor_of_tall_block_and_of_stacked_r_factors(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        var random = new Random(34);
        const int m = 40_007, n = 20;
        double[] a = Random(random, m * n);
        double[] r = new double[n * n];
        double[] q = new double[m * n];
        kernels.QrFactor((double[])a.Clone(), m, n, r, q, threads: 2);
        CheckFactorization(a, m, n, r, q, "tall");

        // TSQR: R of [A1; A2] equals R of [R1; R2].
        int half = m / 2;
        double[] r1 = new double[n * n];
        double[] r2 = new double[n * n];
        kernels.QrFactor(a.AsSpan(0, half * n).ToArray(), half, n, r1, Span<double>.Empty, 1);
        kernels.QrFactor(a.AsSpan(half * n).ToArray(), m - half, n, r2, Span<double>.Empty, 1);
        double[] stacked = [.. r1, .. r2];
        double[] rCombined = new double[n * n];
        kernels.QrFactor(stacked, 2 * n, n, rCombined, Span<double>.Empty, 1);
        Assert.True(MaxAbsDifference(r, rCombined) <= 1e-12 * Frobenius(r), "TSQR R differs from the direct R.");
    }

    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void QrFactorDeferred_forms_q_times_b_in_place(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        var random = new Random(35);

        // One block (m below two block heights), several blocks with a short or long last one, and (151 111×20) a
        // stacked factor tall enough to be blocked itself; odd widths reach every vector tail.
        foreach ((int m, int n) in new[] { (1, 1), (7, 7), (50, 3), (9001, 7), (6007, 13), (40_007, 20), (151_111, 20) })
        {
            double[] a = Random(random, m * n);
            double[] b = RandomOrthogonal(random, n);
            double[] target = new double[m * n];
            double[] r = new double[n * n];
            FactoredQr? factored = kernels.QrFactorDeferred(a, target, m, n, r, threads: 2);
            if (backend == "openblas")
            {
                Assert.Null(factored);
                Assert.All(target, value => Assert.Equal(0.0, value));
                return;
            }

            Assert.NotNull(factored);
            double[] expectedR = new double[n * n];
            kernels.QrFactor((double[])a.Clone(), m, n, expectedR, Span<double>.Empty, 1);
            double scale = Frobenius(a);
            for (int i = 0; i < n * n; i++)
            {
                Assert.True(Math.Abs(expectedR[i] - r[i]) <= 20 * Eps * Math.Sqrt(m) * scale, $"{backend} {m}×{n}: R[{i}] = {r[i]}, QrFactor's {expectedR[i]}.");
            }

            double[] again = new double[m * n];
            kernels.QrFactorDeferred(a, again, m, n, new double[n * n], threads: 1)!.FormProduct(again, b, threads: 1);
            factored.FormProduct(target, b, threads: 2);
            Assert.Equal(again, target); // the thread count does not change a bit

            // F = Q·B with Q orthonormal and QᵀA = R: FᵀF = I and FᵀA = BᵀR, entry by entry.
            double[] ft = Transpose(target, m, n);
            double[] ftf = Multiply(ft, n, m, target, n);
            double[] fta = Multiply(ft, n, m, a, n);
            double[] btr = Multiply(Transpose(b, n, n), n, n, r, n);
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double identity = i == j ? 1.0 : 0.0;
                    Assert.True(
                        Math.Abs(ftf[(i * n) + j] - identity) <= 20 * Eps * Math.Sqrt(m),
                        $"{backend} {m}×{n}: (FᵀF)[{i},{j}] = {ftf[(i * n) + j]}.");
                    Assert.True(
                        Math.Abs(fta[(i * n) + j] - btr[(i * n) + j]) <= 20 * Eps * Math.Sqrt(m) * scale,
                        $"{backend} {m}×{n}: (FᵀA − BᵀR)[{i},{j}] = {fta[(i * n) + j] - btr[(i * n) + j]}.");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void QrFactorDeferred_rejects_shapes_it_cannot_factor(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        Assert.Throws<ArgumentException>(() => kernels.QrFactorDeferred(new double[6], new double[6], 2, 3, new double[9], 1));
        Assert.Throws<ArgumentException>(() => kernels.QrFactorDeferred(new double[6], new double[5], 3, 2, new double[4], 1));
        Assert.Throws<ArgumentException>(() => kernels.QrFactorDeferred(new double[6], new double[6], 3, 2, new double[3], 1));
    }

    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void QrFactor_rejects_wrong_sizes(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        Assert.Throws<ArgumentException>(() => kernels.QrFactor(new double[6], 3, 2, new double[3], Span<double>.Empty, 1));
        Assert.Throws<ArgumentException>(() => kernels.QrFactor(new double[6], 3, 2, new double[4], new double[5], 1));
        Assert.Throws<ArgumentException>(() => kernels.QrFactor(Span<double>.Empty, 0, 0, Span<double>.Empty, Span<double>.Empty, 1));
    }

    private static void CheckFactorization(double[] a, int m, int n, double[] r, double[] q, string shape)
    {
        int kk = Math.Min(m, n);
        for (int i = 0; i < kk; i++)
        {
            Assert.True(r[(i * n) + i] >= 0, $"{shape}: R[{i},{i}] = {r[(i * n) + i]} is negative.");
            for (int j = 0; j < i; j++)
            {
                Assert.Equal(0.0, r[(i * n) + j]);
            }
        }

        double scale = Frobenius(a) + 1e-300;
        double residual = FrobeniusDifference(Multiply(q, m, kk, r, n), a);
        Assert.True(residual <= 20 * Eps * Math.Sqrt(m + n) * scale, $"{shape}: ‖QR − A‖ = {residual}, ‖A‖ = {scale}.");
        double orthogonality = OrthonormalityError(q, m, kk);
        Assert.True(orthogonality <= 20 * Eps * Math.Sqrt(m + n) * Math.Max(1, kk), $"{shape}: ‖QᵀQ − I‖ = {orthogonality}.");
    }
}
