using Distal.Kernels;

namespace Distal.Tests.Kernels;

/// <summary>
/// The k-means++ trial-distance kernel (lanes over rows). It runs at 256 bits only; test.sh's DISTAL_SIMD=scalar and
/// 128 runs skip it, as the sampler then uses <see cref="SquaredDistance"/>.
/// </summary>
public class TrialDistancesTests
{
    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        int[] rows = [1, 3, 4, 5, 7, 9, 37, 258];
        int[] columns = [1, 2, 3, 4, 5, 7, 8, 13, 20, 33];
        for (int count = 1; count <= 13; count++)
        {
            // Every candidate count over two groups (rows not a multiple of 4, odd and even p included).
            data.Add(rows[count % rows.Length], count, columns[count % columns.Length]);
            data.Add(rows[(count + 3) % rows.Length], count, columns[(count + 5) % columns.Length]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_entry_is_bitwise_the_even_and_odd_chain_definition(int n, int count, int p)
    {
        Assert.SkipUnless(TrialDistances.IsAccelerated, "256-bit vectors are off (DISTAL_SIMD or the CPU)");
        var random = new Random((n * 1000) + (count * 40) + p);
        double[] rows = [.. Enumerable.Range(0, n * p).Select(_ => (random.NextDouble() * 6) - 3)];
        double[] candidates = [.. Enumerable.Range(0, count * p).Select(_ => (random.NextDouble() * 6) - 3)];
        double[] distances = Run(rows, n, candidates, count, p, out int stride);
        for (int t = 0; t < count; t++)
        {
            for (int i = 0; i < n; i++)
            {
                // The definition: even and odd columns in two fused chains from zero, then their sum.
                double even = 0, odd = 0;
                for (int c = 0; c < p; c++)
                {
                    double d = rows[(i * p) + c] - candidates[(t * p) + c];
                    if (c % 2 == 0)
                    {
                        even = Math.FusedMultiplyAdd(d, d, even);
                    }
                    else
                    {
                        odd = Math.FusedMultiplyAdd(d, d, odd);
                    }
                }

                Assert.Equal(BitConverter.DoubleToInt64Bits(even + odd), BitConverter.DoubleToInt64Bits(distances[(t * stride) + i]));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_entry_equals_the_exact_integer_sum_and_nothing_past_the_padding_is_written(int n, int count, int p)
    {
        Assert.SkipUnless(TrialDistances.IsAccelerated, "256-bit vectors are off (DISTAL_SIMD or the CPU)");

        // Multiples of 2⁻²⁰ below 4 in magnitude: every difference, square and sum is exact in doubles, so the only
        // right answer is the integer one, whatever the order.
        var random = new Random((n * 7919) + (count * 31) + p);
        long[] rowUnits = [.. Enumerable.Range(0, n * p).Select(_ => (long)random.Next(-(4 << 20), 4 << 20))];
        long[] candidateUnits = [.. Enumerable.Range(0, count * p).Select(_ => (long)random.Next(-(4 << 20), 4 << 20))];
        double[] rows = [.. rowUnits.Select(u => Math.ScaleB(u, -20))];
        double[] candidates = [.. candidateUnits.Select(u => Math.ScaleB(u, -20))];
        double[] distances = Run(rows, n, candidates, count, p, out int stride);
        for (int t = 0; t < count; t++)
        {
            for (int i = 0; i < n; i++)
            {
                long exact = 0;
                for (int c = 0; c < p; c++)
                {
                    long d = rowUnits[(i * p) + c] - candidateUnits[(t * p) + c];
                    exact += d * d;
                }

                Assert.Equal(Math.ScaleB(exact, -40), distances[(t * stride) + i]);
            }

            for (int i = TrialDistances.Padded(n); i < stride; i++)
            {
                Assert.Equal(-1.0, distances[(t * stride) + i]);
            }
        }
    }

    [Fact]
    public void Short_buffers_are_refused()
    {
        Assert.SkipUnless(TrialDistances.IsAccelerated, "256-bit vectors are off (DISTAL_SIMD or the CPU)");
        var kernel = new TrialDistances(new double[6], 2, 3);
        var scratch = new double[TrialDistances.ScratchLength(3)];
        Assert.Throws<ArgumentException>(() => kernel.ComputeRows(new double[15], 5, new double[16], 7, scratch));
        Assert.Throws<ArgumentException>(() => kernel.ComputeRows(new double[15], 5, new double[15], 8, scratch));
        Assert.Throws<ArgumentException>(() => kernel.ComputeRows(new double[12], 5, new double[16], 8, scratch));
    }

    /// <summary>The kernel's distances with a row stride 5 past the padding, the rest pre-filled with −1.</summary>
    private static double[] Run(double[] rows, int n, double[] candidates, int count, int p, out int stride)
    {
        var kernel = new TrialDistances(candidates, count, p);
        Assert.Equal(count, kernel.Count);
        stride = TrialDistances.Padded(n) + 5;
        var distances = new double[count * stride];
        Array.Fill(distances, -1.0);
        kernel.ComputeRows(rows, n, distances, stride, new double[TrialDistances.ScratchLength(p)]);
        return distances;
    }
}
