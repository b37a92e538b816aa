using Distal.Kernels;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Kernels;

/// <summary>
/// Every rank repeats the finalize step on the same merged partial, so the small factorizations in it must give the
/// same bits whatever thread count the caller — or a concurrent caller — last used. OpenBLAS's thread count is one
/// process-wide setting and its results depend on it: with 1 and 2 threads, 156 of 200 random 4×4 <c>dsyevd</c>
/// calls differ in the last bit here, which made embedded ranks disagree when a test beside them set another count.
/// </summary>
public class FactorizationDeterminismTests
{
    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void Factorizations_do_not_depend_on_the_thread_count_other_calls_used(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        var random = new Random(77);
        const int n = 6;
        for (int trial = 0; trial < 50; trial++)
        {
            double[] a = RandomSymmetric(random, n);
            var (first, firstVectors, firstSingular) = Factorize(kernels, a, n, threadsBefore: 1);
            var (second, secondVectors, secondSingular) = Factorize(kernels, a, n, threadsBefore: 2);
            Compare.Bitwise(first, second, $"eigenvalues, trial {trial}");
            Compare.Bitwise(firstVectors, secondVectors, $"eigenvectors, trial {trial}");
            Compare.Bitwise(firstSingular, secondSingular, $"singular values, trial {trial}");
        }
    }

    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void Eigen_beside_a_concurrent_product_on_other_threads_gives_the_same_bits(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        var random = new Random(78);
        const int n = 5;
        double[][] matrices = [.. Enumerable.Range(0, 100).Select(_ => RandomSymmetric(random, n))];
        double[][] alone = [.. matrices.Select(m => Eigenvalues(kernels, m, n))];

        bool stop = false;
        var busy = new Thread(() =>
        {
            // Products asking for 1 and 2 threads in turn, as ranks with different budgets would.
            double[] x = new double[64 * 64], c = new double[64 * 64];
            for (int call = 0; !Volatile.Read(ref stop); call++)
            {
                kernels.Multiply(x, 64, 64, x, 64, c, threads: 1 + (call % 2));
            }
        });
        busy.Start();
        try
        {
            for (int i = 0; i < matrices.Length; i++)
            {
                Compare.Bitwise(alone[i], Eigenvalues(kernels, matrices[i], n), $"matrix {i}");
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            busy.Join();
        }
    }

    private static (double[] Values, double[] Vectors, double[] Singular) Factorize(IDenseKernels kernels, double[] a, int n, int threadsBefore)
    {
        // A product with another thread count first, as a caller with another budget would leave it.
        double[] c = new double[n * n];
        kernels.Multiply(a, n, n, a, n, c, threadsBefore);
        double[] values = new double[n], vectors = new double[n * n];
        kernels.SymmetricEigen(a, n, values, vectors);
        double[] s = new double[n];
        kernels.Svd(a, n, n, s, new double[n * n], new double[n * n]);
        return (values, vectors, s);
    }

    private static double[] Eigenvalues(IDenseKernels kernels, double[] a, int n)
    {
        double[] values = new double[n];
        kernels.SymmetricEigen(a, n, values, new double[n * n]);
        return values;
    }

    private static double[] RandomSymmetric(Random random, int n)
    {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                a[(i * n) + j] = a[(j * n) + i] = (random.NextDouble() * 2) - 1;
            }
        }

        return a;
    }
}
