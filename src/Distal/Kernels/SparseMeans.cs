using System.Numerics;

namespace Distal.Kernels;

/// <summary>
/// Column means of a CSR block, accurate to the last bits: the plain mean m₀ = Σx/n, corrected once by the mean
/// of the residuals, (Σ_stored (x − m₀) − (n − stored)·m₀)/n. For a column far from zero (1e8 + noise) the plain
/// sum's rounding alone would shift the mean by ~1e-5 and the centered sums by n·δ², about 1e-9 relative; the
/// corrected mean removes that.
/// </summary>
internal static class SparseMeans
{
    public static void Compute<T>(int rows, ReadOnlySpan<int> indices, ReadOnlySpan<T> values, int indexBase, ReadOnlySpan<double> sums, ReadOnlySpan<int> stored, Span<double> mean)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int p = mean.Length;
        Span<double> residual = p <= 256 ? stackalloc double[p] : new double[p];
        residual.Clear();
        for (int j = 0; j < p; j++)
        {
            mean[j] = sums[j] / rows;
        }

        for (int k = 0; k < values.Length; k++)
        {
            int j = indices[k] - indexBase;
            residual[j] += double.CreateTruncating(values[k]) - mean[j];
        }

        for (int j = 0; j < p; j++)
        {
            mean[j] += (residual[j] - ((rows - stored[j]) * mean[j])) / rows;
        }
    }
}
