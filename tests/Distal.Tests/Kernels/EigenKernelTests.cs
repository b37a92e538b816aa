using static Distal.Tests.Kernels.ReferenceLinearAlgebra;

namespace Distal.Tests.Kernels;

public class EigenKernelTests
{
    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void SymmetricEigen_recovers_a_known_spectrum_with_tiny_residual(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        var random = new Random(51);
        foreach (int n in new[] { 0, 1, 2, 3, 4, 5, 8, 16, 17, 33, 64, 101 })
        {
            // A = Q·diag(λ)·Qᵀ with λ spread over several orders of magnitude and both signs.
            double[] lambda = new double[n];
            for (int i = 0; i < n; i++)
            {
                lambda[i] = (random.Next(2) == 0 ? -1 : 1) * Math.Pow(10, (random.NextDouble() * 6) - 3);
            }

            double[] a = Compose(random, lambda, n);
            Check(kernels, a, n, $"n = {n}", out double[] values);
            double[] expected = [.. lambda.OrderDescending()];
            double scale = Frobenius(a) + 1e-300;
            for (int i = 0; i < n; i++)
            {
                Assert.True(
                    Math.Abs(values[i] - expected[i]) <= 1e-13 * scale,
                    $"n = {n}: eigenvalue {i} is {values[i]}, expected {expected[i]}.");
            }
        }
    }

    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void SymmetricEigen_handles_repeated_zero_and_diagonal_spectra(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        var random = new Random(52);
        Check(kernels, Compose(random, [3, 3, 3, 1, 1, -2, 0, 0], 8), 8, "repeated", out double[] repeated);
        Assert.Equal(3, repeated[0], 1e-13);
        Assert.Equal(0, repeated[6], 1e-13);
        Check(kernels, new double[25], 5, "zero", out double[] zeros);
        Assert.All(zeros, v => Assert.Equal(0.0, v));
        double[] diagonal = new double[16];
        diagonal[0] = 1;
        diagonal[5] = 4;
        diagonal[10] = -2;
        diagonal[15] = 3;
        Check(kernels, diagonal, 4, "diagonal", out double[] fromDiagonal);
        Assert.Equal([4.0, 3.0, 1.0, -2.0], fromDiagonal);
    }

    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void SymmetricEigen_of_a_covariance_matrix(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        var random = new Random(53);
        const int rows = 400, n = 60;
        double[] x = Random(random, rows * n);
        for (int i = 0; i < rows; i++)
        {
            x[(i * n) + 7] = x[(i * n) + 3] * 1e-4; // nearly collinear: a tiny eigenvalue
        }

        Check(kernels, Gram(x, rows, n), n, "covariance", out double[] values);
        Assert.True(values[^1] >= -1e-13 * values[0]);
    }

    [Fact]
    public void Tridiagonal_QL_solver_matches_the_known_spectrum_at_every_small_order()
    {
        // The managed backend switches from Jacobi to tridiagonal QL above JacobiEigenSolver.MaxOrder; this runs the
        // QL path directly on small orders (every remainder) and once above the switch through the backend.
        var random = new Random(54);
        foreach (int n in Enumerable.Range(1, 24).Append(Distal.Kernels.JacobiEigenSolver.MaxOrder + 23))
        {
            double[] lambda = new double[n];
            for (int i = 0; i < n; i++)
            {
                lambda[i] = (random.NextDouble() * 2) - 1;
            }

            if (n > 6)
            {
                lambda[3] = lambda[5]; // a repeated eigenvalue
            }

            double[] a = Compose(random, lambda, n);
            double[] values = new double[n];
            double[] vectors = new double[n * n];
            Distal.Kernels.TridiagonalEigenSolver.Solve(a, n, values, vectors);
            CheckResult(a, n, values, vectors, $"QL n = {n}");
            double[] expected = [.. lambda.OrderDescending()];
            for (int i = 0; i < n; i++)
            {
                Assert.True(Math.Abs(values[i] - expected[i]) <= 1e-13 * Frobenius(a), $"QL n = {n}: eigenvalue {i}.");
            }
        }
    }

    private static double[] Compose(Random random, double[] lambda, int n)
    {
        double[] q = RandomOrthogonal(random, n);
        double[] ql = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                ql[(i * n) + j] = q[(i * n) + j] * lambda[j];
            }
        }

        double[] a = Multiply(ql, n, n, Transpose(q, n, n), n);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < i; j++)
            {
                a[(i * n) + j] = a[(j * n) + i];
            }
        }

        return a;
    }

    /// <summary>Checks ‖A·V − V·Λ‖ ≤ 1e-13‖A‖, orthonormal vectors, descending values.</summary>
    private static void Check(Distal.Kernels.IDenseKernels kernels, double[] a, int n, string what, out double[] values)
    {
        values = new double[n];
        double[] vectors = new double[n * n];
        kernels.SymmetricEigen(a, n, values, vectors);
        CheckResult(a, n, values, vectors, what);
    }

    private static void CheckResult(double[] a, int n, double[] values, double[] vectors, string what)
    {
        double scale = Frobenius(a);
        double[] v = Transpose(vectors, n, n);
        double[] av = Multiply(a, n, n, v, n);
        double[] vl = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                vl[(i * n) + j] = v[(i * n) + j] * values[j];
            }
        }

        double residual = FrobeniusDifference(av, vl);
        Assert.True(residual <= 1e-13 * scale, $"{what}: ‖AV − VΛ‖ = {residual}, ‖A‖ = {scale}.");
        double orthogonality = OrthonormalityError(v, n, n);
        Assert.True(orthogonality <= 1e-13 * Math.Max(1, n), $"{what}: ‖VᵀV − I‖ = {orthogonality}.");
        for (int i = 1; i < n; i++)
        {
            Assert.True(values[i - 1] >= values[i], $"{what}: values not descending at {i}.");
        }
    }
}
