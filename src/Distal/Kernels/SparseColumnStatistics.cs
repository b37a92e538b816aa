using System.Numerics;

namespace Distal.Kernels;

/// <summary>
/// One CSR block's exact column statistics, counting the zeros that are not stored: extremes (0 joins them when a
/// column has an unstored entry), sums and sums of squares over the stored values, and the centered sum of squares
/// about the block mean as Σ_stored (x − mean)² + (rows − stored)·mean² — every term non-negative, so nothing
/// cancels. Work is O(stored values + columns); the zeros are never materialized (oneDAL's fastCSR moments).
/// </summary>
internal sealed class SparseColumnStatistics(int columns)
{
    public double[] Minimum { get; } = new double[columns];

    public double[] Maximum { get; } = new double[columns];

    public double[] Sum { get; } = new double[columns];

    public double[] SumSquares { get; } = new double[columns];

    public double[] Mean { get; } = new double[columns];

    public double[] M2 { get; } = new double[columns];

    /// <summary>How many values of each column are stored in the block.</summary>
    public int[] Stored { get; } = new int[columns];

    /// <summary>Computes the statistics of <paramref name="block"/>'s rows (at least one).</summary>
    public void Compute<T>(CsrTable<T> block)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Minimum.AsSpan().Fill(double.PositiveInfinity);
        Maximum.AsSpan().Fill(double.NegativeInfinity);
        Array.Clear(Sum);
        Array.Clear(SumSquares);
        Array.Clear(M2);
        Array.Clear(Stored);
        var (start, end) = (block.RowRange(0).Start, block.RowRange(block.Rows - 1).End);
        var indices = block.ColumnIndices.Span[start..end];
        var values = block.Values.Span[start..end];
        int b = (int)block.Indexing;
        for (int k = 0; k < values.Length; k++)
        {
            int j = indices[k] - b;
            double v = double.CreateTruncating(values[k]);
            Minimum[j] = Math.Min(Minimum[j], v);
            Maximum[j] = Math.Max(Maximum[j], v);
            Sum[j] += v;
            SumSquares[j] = Math.FusedMultiplyAdd(v, v, SumSquares[j]);
            Stored[j]++;
        }

        int rows = block.Rows;
        for (int j = 0; j < Mean.Length; j++)
        {
            if (Stored[j] < rows)
            {
                Minimum[j] = Math.Min(Minimum[j], 0.0);
                Maximum[j] = Math.Max(Maximum[j], 0.0);
            }
        }

        SparseMeans.Compute(rows, indices, values, b, Sum, Stored, Mean);

        for (int k = 0; k < values.Length; k++)
        {
            int j = indices[k] - b;
            double d = double.CreateTruncating(values[k]) - Mean[j];
            M2[j] = Math.FusedMultiplyAdd(d, d, M2[j]);
        }

        for (int j = 0; j < M2.Length; j++)
        {
            double mean = Mean[j];
            M2[j] += (rows - Stored[j]) * mean * mean;
        }
    }
}
