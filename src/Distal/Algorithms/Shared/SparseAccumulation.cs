using System.Numerics;
using Distal.Kernels;

namespace Distal.Algorithms;

/// <summary>
/// Folds CSR rows into the moments and cross-product partials (daal4py's fastCSR methods) without densifying: each
/// block's exact statistics come from the sparse kernels and merge into the partial by the same pairwise update as a
/// dense block's, so CSR and dense input give the same results to rounding.
/// </summary>
internal static class SparseAccumulation
{
    // Rows per block, as the dense cross-product path uses, so both merge the same way. The kernels' scratch is
    // O(p²) per block, not O(rows·p).
    private const int BlockRows = 1024;

    public static void Accumulate<T>(MomentsPartial partial, CsrTable<T> rows)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var block = new SparseColumnStatistics(partial.Columns);
        for (int start = 0; start < rows.Rows; start += BlockRows)
        {
            int n = Math.Min(BlockRows, rows.Rows - start);
            block.Compute(rows.SliceRows(start, n));
            partial.Merge(MomentsPartial.FromBlock(partial.Estimates, n, block));
        }
    }

    public static void Accumulate<T>(CrossProductPartial partial, CsrTable<T> rows)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var block = new SparseCenteredGram(partial.Columns);
        for (int start = 0; start < rows.Rows; start += BlockRows)
        {
            int n = Math.Min(BlockRows, rows.Rows - start);
            block.Compute(rows.SliceRows(start, n), center: !partial.AssumeCentered);
            partial.Merge(CrossProductPartial.FromBlock(partial.AssumeCentered, n, block.Mean, block.CrossProduct));
        }
    }
}
