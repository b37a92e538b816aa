using Distal.Kernels;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Kernels;

/// <summary>
/// The small solves regression ends in: full rank through Cholesky / back substitution, and the minimum-norm
/// solution (never NaN) when the system is singular, judged against closed forms.
/// </summary>
public class LeastSquaresSolverTests
{
    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void FullRankSolvesMatchTheGeneratingCoefficients(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        var random = new Random(11);
        const int n = 200, p = 6, k = 2;
        var x = Matrix(random, n, p);
        var beta = Matrix(random, p, k);
        var y = Product(x, n, p, beta, k);

        var solution = new double[p * k];
        Assert.True(LeastSquaresSolver.SolveNormalEquations(kernels, Gram(x, n, p), p, Cross(x, y, n, p, k), k, 0.0, solution));
        Compare.Relative(beta, solution, 1e-11, floor: 1, what: "normal equations");

        Assert.True(LeastSquaresSolver.SolveUpperTriangular(kernels, TriangularFactor(kernels, x, y, n, p, k, out var qty), p, qty, k, solution));
        Compare.Relative(beta, solution, 1e-12, floor: 1, what: "triangular");
    }

    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void BadlyScaledFullRankColumnsAreNotTreatedAsDependent(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        var random = new Random(12);
        const int n = 300, p = 3;
        var x = Matrix(random, n, p);
        for (int i = 0; i < n; i++)
        {
            x[i * p] *= 1e-6;
            x[(i * p) + 2] *= 1e6;
        }

        double[] beta = [3e6, -2, 5e-6];
        var y = Product(x, n, p, beta, 1);
        var solution = new double[p];
        Assert.True(LeastSquaresSolver.SolveNormalEquations(kernels, Gram(x, n, p), p, Cross(x, y, n, p, 1), 1, 0.0, solution));
        Compare.Relative(beta, solution, 1e-9, what: "normal equations");
        Assert.True(LeastSquaresSolver.SolveUpperTriangular(kernels, TriangularFactor(kernels, x, y, n, p, 1, out var qty), p, qty, 1, solution));
        Compare.Relative(beta, solution, 1e-10, what: "triangular");
    }

    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void DependentColumnsGiveTheMinimumNormSolution(string backend)
    {
        // Columns: a, b, 2a. Any (βa, βb, βc) with βa + 2βc = t fits; the least norm one is (t/5, βb, 2t/5).
        var kernels = KernelBackendsUnderTest.Get(backend);
        var random = new Random(13);
        const int n = 150, p = 3;
        var x = Matrix(random, n, p);
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[(i * p) + 2] = 2 * x[i * p];
            y[i] = (1.5 * x[i * p]) - (0.5 * x[(i * p) + 1]) + (0.01 * random.NextDouble());
        }

        // The fit on the two independent columns gives t and βb.
        var reduced = new double[n * 2];
        for (int i = 0; i < n; i++)
        {
            reduced[i * 2] = x[i * p];
            reduced[(i * 2) + 1] = x[(i * p) + 1];
        }

        var fit = new double[2];
        Assert.True(LeastSquaresSolver.SolveNormalEquations(kernels, Gram(reduced, n, 2), 2, Cross(reduced, y, n, 2, 1), 1, 0.0, fit));
        double[] expected = [fit[0] / 5, fit[1], 2 * fit[0] / 5];

        var solution = new double[p];
        Assert.False(LeastSquaresSolver.SolveNormalEquations(kernels, Gram(x, n, p), p, Cross(x, y, n, p, 1), 1, 0.0, solution));
        Compare.Relative(expected, solution, 1e-9, floor: 1, what: "normal equations");
        Assert.False(LeastSquaresSolver.SolveUpperTriangular(kernels, TriangularFactor(kernels, x, y, n, p, 1, out var qty), p, qty, 1, solution));
        Compare.Relative(expected, solution, 1e-9, floor: 1, what: "triangular");
    }

    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void AZeroSystemGivesZeroNotNaN(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        var solution = new double[] { double.NaN, double.NaN, double.NaN, double.NaN };
        Assert.False(LeastSquaresSolver.SolveNormalEquations(kernels, new double[4], 2, new double[4], 2, 0.0, solution));
        Compare.Bitwise(new double[4], solution);
        solution.AsSpan().Fill(double.NaN);
        Assert.False(LeastSquaresSolver.SolveUpperTriangular(kernels, new double[4], 2, new double[4], 2, solution));
        Compare.Bitwise(new double[4], solution);
    }

    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void RidgeIsAddedToTheDiagonal(string backend)
    {
        // (XᵀX + λI)β = Xᵀy with a duplicated column is positive definite; its solution splits the weight evenly.
        var kernels = KernelBackendsUnderTest.Get(backend);
        double[] gram = [4, 4, 4, 4];
        double[] rhs = [2, 2];
        var solution = new double[2];
        Assert.True(LeastSquaresSolver.SolveNormalEquations(kernels, gram, 2, rhs, 1, 1.0, solution));
        Compare.Relative([2.0 / 9, 2.0 / 9], solution, 1e-15);
    }

    private static double[] Matrix(Random random, int rows, int columns)
        => Enumerable.Range(0, rows * columns).Select(_ => (random.NextDouble() * 2) - 1).ToArray();

    private static double[] Product(double[] x, int n, int p, double[] beta, int k)
    {
        var y = new double[n * k];
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < k; c++)
            {
                for (int j = 0; j < p; j++)
                {
                    y[(i * k) + c] += x[(i * p) + j] * beta[(j * k) + c];
                }
            }
        }

        return y;
    }

    private static double[] Gram(double[] x, int n, int p) => Cross(x, x, n, p, p);

    private static double[] Cross(double[] x, double[] y, int n, int p, int k)
    {
        var c = new double[p * k];
        for (int i = 0; i < n; i++)
        {
            for (int a = 0; a < p; a++)
            {
                for (int b = 0; b < k; b++)
                {
                    c[(a * k) + b] += x[(i * p) + a] * y[(i * k) + b];
                }
            }
        }

        return c;
    }

    /// <summary>R₁₁ (p×p) of the QR of [X | Y], and R₁₂ = QᵀY (p×k) in <paramref name="qty"/>.</summary>
    private static double[] TriangularFactor(IDenseKernels kernels, double[] x, double[] y, int n, int p, int k, out double[] qty)
    {
        int w = p + k;
        var stacked = new double[n * w];
        for (int i = 0; i < n; i++)
        {
            x.AsSpan(i * p, p).CopyTo(stacked.AsSpan(i * w));
            y.AsSpan(i * k, k).CopyTo(stacked.AsSpan((i * w) + p));
        }

        var r = new double[w * w];
        kernels.QrFactor(stacked, n, w, r, Span<double>.Empty, threads: 1);
        var r11 = new double[p * p];
        qty = new double[p * k];
        for (int i = 0; i < p; i++)
        {
            r.AsSpan(i * w, p).CopyTo(r11.AsSpan(i * p));
            r.AsSpan((i * w) + p, k).CopyTo(qty.AsSpan(i * k));
        }

        return r11;
    }
}
