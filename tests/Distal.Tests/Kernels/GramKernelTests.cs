using static Distal.Tests.Kernels.ReferenceLinearAlgebra;

namespace Distal.Tests.Kernels;

public class GramKernelTests
{
    // Column counts cover every remainder of 2-, 4- and 8-wide vectors and of the register tiles; row counts cover
    // empty blocks, single rows and remainders of the row unrolling.
    private static readonly int[] Columns = [1, 2, 3, 4, 5, 7, 8, 9, 11, 12, 13, 15, 16, 17, 23, 24, 25, 31, 33, 47, 50, 65];
    private static readonly int[] Rows = [0, 1, 2, 3, 5, 8, 13, 64, 131];

    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void AddGram_double_matches_reference_and_accumulates(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        var random = new Random(11);
        foreach (int n in Columns)
        {
            foreach (int rows in Rows)
            {
                double[] x = Random(random, rows * n);
                double[] start = Gram(Random(random, 3 * n), 3, n);
                double[] expected = Gram(x, rows, n);
                for (int i = 0; i < expected.Length; i++)
                {
                    expected[i] += start[i];
                }

                double[] c = (double[])start.Clone();
                kernels.AddGram(x, rows, n, c, threads: 1 + (rows % 2));
                double[] magnitude = Gram(Abs(x), rows, n);
                for (int i = 0; i < magnitude.Length; i++)
                {
                    magnitude[i] += Math.Abs(start[i]);
                }

                AssertClose(expected, c, magnitude, rows + 1, $"{rows}×{n}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void AddGram_float_accumulates_in_double(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        var random = new Random(12);
        foreach (int n in Columns)
        {
            foreach (int rows in Rows)
            {
                float[] xf = new float[rows * n];
                for (int i = 0; i < xf.Length; i++)
                {
                    xf[i] = (float)((random.NextDouble() * 2) - 1);
                }

                double[] xd = Array.ConvertAll(xf, v => (double)v);
                double[] expected = Gram(xd, rows, n);
                double[] c = new double[n * n];
                kernels.AddGram(xf, rows, n, c, threads: 2);
                AssertClose(expected, c, Gram(Abs(xd), rows, n), rows, $"{rows}×{n}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void AddGram_large_blocks_split_across_threads_match_reference(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        var random = new Random(13);
        foreach ((int rows, int n) in new[] { (5003, 20), (2100, 50), (300, 130), (40, 260) })
        {
            double[] x = Random(random, rows * n);
            double[] expected = Gram(x, rows, n);
            foreach (int threads in new[] { 1, 2, 3 })
            {
                double[] c = new double[n * n];
                kernels.AddGram(x, rows, n, c, threads);
                AssertClose(expected, c, Gram(Abs(x), rows, n), rows, $"{rows}×{n}, {threads} threads");
            }
        }
    }

    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void AddShiftedGram_matches_the_gram_of_the_shifted_rows_and_sums_them(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        var random = new Random(14);
        foreach (int n in Columns)
        {
            foreach (int rows in Rows)
            {
                // Values near 1e8 with a shift near them: the differences are exact, so the reference is the Gram
                // matrix of exactly the rows the kernel should see.
                double[] shift = [.. Random(random, n).Select(v => 1e8 + v)];
                double[] x = [.. Random(random, rows * n).Select((v, i) => shift[i % n] + v)];
                double[] shifted = [.. x.Select((v, i) => v - shift[i % n])];
                double[] expectedSums = new double[n];
                for (int i = 0; i < shifted.Length; i++)
                {
                    expectedSums[i % n] += shifted[i];
                }

                double[] c = new double[n * n];
                double[] sums = new double[n];
                kernels.AddShiftedGram(x, rows, n, shift, sums, c, threads: 1 + (rows % 2));
                AssertClose(Gram(shifted, rows, n), c, Gram(Abs(shifted), rows, n), rows + 1, $"{rows}×{n} double");
                AssertClose(expectedSums, sums, [.. Enumerable.Range(0, n).Select(j => shifted.Where((_, i) => i % n == j).Sum(Math.Abs))], rows, $"{rows}×{n} sums");

                float[] xf = [.. Random(random, rows * n).Select(v => (float)(v * 4))];
                double[] shiftF = [.. Random(random, n)];
                double[] shiftedF = [.. xf.Select((v, i) => v - shiftF[i % n])];
                double[] cf = new double[n * n];
                double[] sumsF = new double[n];
                kernels.AddShiftedGram(xf, rows, n, shiftF, sumsF, cf, threads: 2);
                AssertClose(Gram(shiftedF, rows, n), cf, Gram(Abs(shiftedF), rows, n), rows + 2, $"{rows}×{n} float");
            }
        }
    }

    /// <summary>
    /// Small integers (and a shift of integers) make every product and every partial sum exact, so any summation
    /// order must give the reference bit for bit: a tile that drops, repeats or misplaces one product fails. Every p
    /// from 1 to 70 (both sides of the column-panel path's range 24..56, every edge of its 4 × 3 dot tiles and of
    /// the row-major tiles), a few wider ones, and row counts that span two or more panels and end off the vector grid.
    /// </summary>
    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void AddShiftedGram_is_exact_on_integer_data_for_every_width_up_to_70(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        var random = new Random(15);
        int[] widths = [.. Enumerable.Range(1, 70), 75, 96, 110];
        foreach (int n in widths)
        {
            int rows = n <= 20 ? 1541 + (n % 5) : n <= 70 ? 517 + (n % 5) : 37;
            double[] shift = [.. Enumerable.Range(0, n).Select(_ => (double)random.Next(-3, 4))];
            double[] x = [.. Enumerable.Range(0, rows * n).Select(_ => (double)random.Next(-9, 10))];
            float[] xf = Array.ConvertAll(x, v => (float)v);
            double[] shifted = [.. x.Select((v, i) => v - shift[i % n])];
            double[] expected = Gram(shifted, rows, n);
            double[] expectedPlain = Gram(x, rows, n);
            double[] expectedSums = new double[n];
            for (int i = 0; i < shifted.Length; i++)
            {
                expectedSums[i % n] += shifted[i];
            }

            foreach (int threads in new[] { 1, 2 })
            {
                double[] c = new double[n * n];
                double[] sums = new double[n];
                kernels.AddShiftedGram(x, rows, n, shift, sums, c, threads);
                Assert.Equal(expected, c);
                Assert.Equal(expectedSums, sums);

                double[] cf = new double[n * n];
                double[] sumsF = new double[n];
                kernels.AddShiftedGram(xf, rows, n, shift, sumsF, cf, threads);
                Assert.Equal(expected, cf);
                Assert.Equal(expectedSums, sumsF);

                double[] plain = new double[n * n];
                kernels.AddGram(x, rows, n, plain, threads);
                Assert.Equal(expectedPlain, plain);
            }
        }
    }

    [Theory]
    [MemberData(nameof(KernelBackendsUnderTest.Names), MemberType = typeof(KernelBackendsUnderTest))]
    public void AddGram_zero_columns_is_a_no_op(string backend)
    {
        var kernels = KernelBackendsUnderTest.Get(backend);
        kernels.AddGram(ReadOnlySpan<double>.Empty, 5, 0, Span<double>.Empty, 1);
        Assert.Throws<ArgumentException>(() => kernels.AddGram(new double[6], 2, 2, new double[4], 1));
    }

    /// <summary>
    /// Each entry is a sum of `terms` products; two summation orders of it differ by a random walk of rounding errors
    /// of about ε·√terms·Σ|products| (the magnitude), so 4× that bounds the difference of kernel and reference.
    /// </summary>
    internal static void AssertClose(double[] expected, double[] actual, double[] magnitude, int terms, string shape)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = (4 * 2.3e-16 * Math.Sqrt(terms + 1) * magnitude[i]) + 1e-300;
            Assert.True(
                Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"{shape}: entry {i} is {actual[i]}, expected {expected[i]} (tolerance {tolerance}).");
        }
    }
}
