using System.Numerics;
using System.Runtime.InteropServices;
using Distal.Kernels;

namespace Distal.Algorithms;

/// <summary>
/// Count, mean and centered cross-product matrix C = Σ(x − mean)(x − mean)ᵀ of the rows seen so far; also the
/// sufficient statistic of correlation-method PCA and of the regressions' [X | Y] cross-products.
/// <para>
/// The partial is shifted: it keeps a shift row s and the mean as s + offset, so data far from zero (1e8 + noise)
/// lose nothing. Each block of rows is taken about a shift close to its mean (the partial's mean so far; for the
/// first block, an estimate of its mean for columns far from zero, else 0): the Gram kernel subtracts that row while it loads the block
/// (exact for data within a factor of two of it) and sums the differences, and the block's centered product is
/// G − Σd·Σdᵀ/n, where Σd is nearly zero.
/// Blocks and partials merge pairwise with δ = (s_b − s_a) + (offset_b − offset_a): the large shifts cancel exactly
/// before the small offsets are touched.
/// </para>
/// </summary>
internal sealed class CrossProductPartial : IPartial<CrossProductPartial>
{
    // Rows per block: each block costs one shift row and one p² centering and merge, under 1% of its Gram work at
    // p = 50 (4096·p²/2 multiply-adds); the kernel packs 32 KiB of rows at a time, so the block size does not change
    // what stays in cache. Larger blocks would let a drifting column's block mean move further from its first row.
    private const int BlockRows = 4096;

    private readonly int _columns;

    public CrossProductPartial(int columns, bool assumeCentered)
    {
        _columns = columns;
        AssumeCentered = assumeCentered;
        Shift = new double[columns];
        Offset = new double[columns];
        CrossProduct = new double[columns * columns];
    }

    public int Columns => _columns;

    public bool AssumeCentered { get; }

    public long Count { get; private set; }

    /// <summary>The shift row s: the shift of the first block this partial saw (zero when <see cref="AssumeCentered"/>).</summary>
    public double[] Shift { get; }

    /// <summary>Mean − <see cref="Shift"/>, the small part of the mean.</summary>
    public double[] Offset { get; }

    /// <summary>Column means, s + offset (a new array on each call).</summary>
    public double[] Mean => RowBlocks.ShiftedMean(Shift, Offset);

    /// <summary>p×p row-major, both triangles.</summary>
    public double[] CrossProduct { get; }

    public static CrossProductPartial Decode(ref PartialReader reader)
    {
        int columns = (int)reader.ReadInt64();
        var partial = new CrossProductPartial(columns, reader.ReadInt64() != 0) { Count = reader.ReadInt64() };
        reader.Read<double>(partial.Shift);
        reader.Read<double>(partial.Offset);
        reader.Read<double>(partial.CrossProduct);
        return partial;
    }

    public void WriteTo(PartialWriter writer)
    {
        writer.Write(_columns);
        writer.Write(AssumeCentered ? 1L : 0L);
        writer.Write(Count);
        writer.Write<double>(Shift);
        writer.Write<double>(Offset);
        writer.Write<double>(CrossProduct);
    }

    public void Accumulate<T>(ReadOnlySpan<T> rows)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int p = _columns;
        if (p == 0 || rows.IsEmpty)
        {
            return;
        }

        int totalRows = rows.Length / p;
        double[] shift = new double[p];
        double[] sums = new double[p];
        double[] offset = new double[p];
        double[] product = new double[p * p];
        for (int start = 0; start < totalRows; start += BlockRows)
        {
            int n = Math.Min(BlockRows, totalRows - start);
            var block = rows.Slice(start * p, n * p);
            Array.Clear(product);
            if (AssumeCentered)
            {
                AddGram(block, n, p, product);
                MergeBlock(n, shift, offset, product);
                continue;
            }

            ChooseShift(block, n, p, shift);
            Array.Clear(sums);
            AddShiftedGram(block, n, p, shift, sums, product);
            CenterBlock(n, sums, offset, product);
            MergeBlock(n, shift, offset, product);
        }
    }

    /// <summary>A partial holding exactly one block's count, mean and centered cross-products (a CSR block's).</summary>
    internal static CrossProductPartial FromBlock(bool assumeCentered, long count, ReadOnlySpan<double> mean, ReadOnlySpan<double> crossProduct)
    {
        var partial = new CrossProductPartial(mean.Length, assumeCentered) { Count = count };
        mean.CopyTo(partial.Shift);  // the exact block mean as the shift, offset zero
        crossProduct.CopyTo(partial.CrossProduct);
        return partial;
    }

    public void Merge(CrossProductPartial b)
    {
        MergeBlock(b.Count, b.Shift, b.Offset, b.CrossProduct);
    }

    /// <summary>
    /// Folds in the statistics of <paramref name="count"/> other rows: their mean as <paramref name="shift"/> +
    /// <paramref name="offset"/> and their centered cross-products (p×p, both triangles). A caller with exact block
    /// means may pass the mean as the shift and zeros as the offset.
    /// </summary>
    public void MergeBlock(long count, ReadOnlySpan<double> shift, ReadOnlySpan<double> offset, ReadOnlySpan<double> product)
    {
        if (count == 0)
        {
            return;
        }

        int p = _columns;
        if (Count == 0 || AssumeCentered)
        {
            for (int i = 0; i < CrossProduct.Length; i++)
            {
                CrossProduct[i] += product[i];
            }

            if (Count == 0 && !AssumeCentered)
            {
                shift.CopyTo(Shift);
                offset.CopyTo(Offset);
            }

            Count += count;
            return;
        }

        double n = Count + count;
        double crossWeight = Count * (double)count / n;
        Span<double> delta = p <= 256 ? stackalloc double[p] : new double[p];
        for (int j = 0; j < p; j++)
        {
            // The shifts are close and cancel exactly (Sterbenz); only then are the small offsets compared.
            delta[j] = (shift[j] - Shift[j]) + (offset[j] - Offset[j]);
        }

        // Upper triangle, then mirrored: (δi·w)·δj and (δj·w)·δi round differently, and the result must stay symmetric.
        for (int i = 0; i < p; i++)
        {
            double di = delta[i] * crossWeight;
            var row = CrossProduct.AsSpan(i * p, p);
            var rowB = product.Slice(i * p, p);
            for (int j = i; j < p; j++)
            {
                row[j] += rowB[j] + (di * delta[j]);
            }
        }

        for (int i = 1; i < p; i++)
        {
            for (int j = 0; j < i; j++)
            {
                CrossProduct[(i * p) + j] = CrossProduct[(j * p) + i];
            }
        }

        double weightB = count / n;
        for (int j = 0; j < p; j++)
        {
            Offset[j] += delta[j] * weightB;
        }

        Count += count;
    }

    /// <summary>C/(n − 1), or C/n with <paramref name="bias"/>.</summary>
    public Table<double> CovarianceMatrix(bool bias)
    {
        long minimum = bias ? 1 : 2;
        if (Count < minimum)
        {
            throw new DistalException(FailureKind.Input, $"{Count} row(s): a {(bias ? "biased" : "sample")} covariance needs at least {minimum}");
        }

        double divisor = bias ? Count : Count - 1;
        var matrix = new double[_columns * _columns];
        for (int i = 0; i < matrix.Length; i++)
        {
            matrix[i] = CrossProduct[i] / divisor;
        }

        return new Table<double>(matrix, _columns, _columns);
    }

    /// <summary>
    /// Correlation from covariance. A column with zero variance has no defined correlation: its row and column are
    /// 0 with 1 on the diagonal (as oneDAL does), instead of NaN.
    /// </summary>
    public static Table<double> ToCorrelation(Table<double> covariance)
    {
        int p = covariance.Columns;
        var c = covariance.Span;
        var scale = new double[p];
        for (int j = 0; j < p; j++)
        {
            double variance = c[(j * p) + j];
            scale[j] = variance > 0 ? 1.0 / Math.Sqrt(variance) : 0.0;
        }

        var correlation = Table<double>.Create(p, p);
        var r = correlation.Span;
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                r[(i * p) + j] = i == j ? 1.0 : c[(i * p) + j] * scale[i] * scale[j];
            }
        }

        return correlation;
    }

    /// <summary>
    /// The shift of the next block: this partial's mean rounded to a double once it has rows; for the first
    /// block, per column, an estimate of its mean when that dominates the column's spread, else 0. Any double is a
    /// valid shift, since the shift is recorded exactly; one close to the block mean keeps Σdᵢ small, so
    /// G − Σd·Σdᵀ/n cancels little (with every block's first row as its shift, an entry near zero lost up to three
    /// digits to that cancellation).
    /// </summary>
    private void ChooseShift<T>(ReadOnlySpan<T> block, int rows, int p, Span<double> shift)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (Count > 0)
        {
            for (int j = 0; j < p; j++)
            {
                shift[j] = Shift[j] + Offset[j];
            }

            return;
        }

        // Columns whose mean dominates their spread (1e8 + noise) are shifted by an estimate of the mean; the others
        // by 0, so a sparse-like column sums its zeros exactly and the cancellation in G − Σd·Σdᵀ/n stays below
        // one digit.
        Span<double> spread = p <= 256 ? stackalloc double[p] : new double[p];
        RowBlocks.EstimateMean(block, rows, p, shift, spread);
        for (int j = 0; j < p; j++)
        {
            shift[j] = Math.Abs(shift[j]) > spread[j] ? shift[j] : 0.0;
        }
    }

    /// <summary>
    /// Turns a block's shifted sums of products G = Σdᵢdᵢᵀ (dᵢ = xᵢ − s, both triangles) into centered ones,
    /// G − Σd·Σdᵀ/n, and sets <paramref name="offset"/> to the block's mean − s.
    /// </summary>
    internal static void CenterBlock(int rows, ReadOnlySpan<double> sums, Span<double> offset, Span<double> product)
    {
        int p = sums.Length;
        double inverse = 1.0 / rows;
        for (int j = 0; j < p; j++)
        {
            offset[j] = sums[j] * inverse;
        }

        // Upper triangle, mirrored, so that the result is symmetric bit for bit.
        for (int i = 0; i < p; i++)
        {
            for (int j = i; j < p; j++)
            {
                double centered = product[(i * p) + j] - (sums[i] * offset[j]);
                product[(i * p) + j] = centered;
                product[(j * p) + i] = centered;
            }
        }
    }

    private static void AddGram<T>(ReadOnlySpan<T> block, int rows, int p, Span<double> product)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            DenseKernels.Current.AddGram(MemoryMarshal.Cast<T, double>(block), rows, p, product, threads: 1);
        }
        else
        {
            DenseKernels.Current.AddGram(MemoryMarshal.Cast<T, float>(block), rows, p, product, threads: 1);
        }
    }

    private static void AddShiftedGram<T>(ReadOnlySpan<T> block, int rows, int p, ReadOnlySpan<double> shift, Span<double> sums, Span<double> product)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            DenseKernels.Current.AddShiftedGram(MemoryMarshal.Cast<T, double>(block), rows, p, shift, sums, product, threads: 1);
        }
        else
        {
            DenseKernels.Current.AddShiftedGram(MemoryMarshal.Cast<T, float>(block), rows, p, shift, sums, product, threads: 1);
        }
    }
}
