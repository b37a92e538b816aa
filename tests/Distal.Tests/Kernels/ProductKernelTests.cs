using static Distal.Tests.Kernels.ReferenceLinearAlgebra;

namespace Distal.Tests.Kernels;

public class ProductKernelTests
{
    private static readonly (int M, int K, int N)[] Shapes =
    [
        (0, 3, 4), (3, 0, 4), (4, 3, 0), (1, 1, 1), (1, 7, 1), (2, 3, 5), (5, 5, 5), (7, 9, 3), (13, 17, 11),
        (33, 20, 10), (64, 16, 12), (65, 31, 25), (101, 50, 9), (17, 3, 130), (200, 64, 70), (3, 300, 2),
    ];

    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void MultiplyTransposed_matches_reference(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        var random = new Random(21);
        foreach ((int m, int k, int n) in Shapes)
        {
            double[] a = Random(random, m * k);
            double[] b = Random(random, n * k);
            double[] expected = Multiply(a, m, k, Transpose(b, n, k), n);
            double[] c = Random(random, m * n);
            kernels.MultiplyTransposed(a, m, k, b, n, c, threads: 1 + (m % 3));
            GramKernelTests.AssertClose(expected, c, Multiply(Abs(a), m, k, Transpose(Abs(b), n, k), n), k, $"{m}×{k}·({n}×{k})ᵀ");
        }
    }

    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void Multiply_matches_reference(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        var random = new Random(22);
        foreach ((int m, int k, int n) in Shapes)
        {
            double[] a = Random(random, m * k);
            double[] b = Random(random, k * n);
            double[] expected = Multiply(a, m, k, b, n);
            double[] c = Random(random, m * n);
            kernels.Multiply(a, m, k, b, n, c, threads: 1 + (n % 2));
            GramKernelTests.AssertClose(expected, c, Multiply(Abs(a), m, k, Abs(b), n), k, $"{m}×{k}·{k}×{n}");
        }
    }

    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void Tall_distance_shaped_product_matches_reference(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        var random = new Random(23);
        const int m = 20011, k = 20, n = 10;
        double[] a = Random(random, m * k);
        double[] b = Random(random, n * k);
        double[] expected = Multiply(a, m, k, Transpose(b, n, k), n);
        double[] c = new double[m * n];
        kernels.MultiplyTransposed(a, m, k, b, n, c, threads: 2);
        GramKernelTests.AssertClose(expected, c, Multiply(Abs(a), m, k, Transpose(Abs(b), n, k), n), k, "tall");
    }

    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void Products_reject_wrong_sizes(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        Assert.Throws<ArgumentException>(() => kernels.Multiply(new double[6], 2, 3, new double[5], 2, new double[4], 1));
        Assert.Throws<ArgumentException>(() => kernels.MultiplyTransposed(new double[6], 2, 3, new double[6], 2, new double[3], 1));
    }
}
