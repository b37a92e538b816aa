using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using Distal.Kernels;

namespace Distal.Algorithms;

/// <summary>
/// Sufficient statistics for the moments: count, minima, maxima, raw sums and sums of squares, and the mean with the
/// centered sum of squares (M2). The partial is shifted: it keeps a shift row s (its first row) and the mean as
/// s + offset, so that data far from zero (1e8 + noise) lose nothing. Rows are folded in blocks, each taken about its
/// own first row in two passes over the cached block (<see cref="ShiftedColumnStatistics"/>), then merged with Chan's
/// pairwise update on δ = (s_b − s_a) + (offset_b − offset_a), never with Σx² − n·mean².
/// </summary>
internal sealed class MomentsPartial : IPartial<MomentsPartial>
{
    // Rows per block: the column-strip passes read a block with a stride of one row, which streams from memory
    // poorly; a 64-row block (25 KiB at p = 50) is in L1 after the first strip. Measured single-threaded on 1e6×50:
    // 64 rows 0.035–0.038 s, 256 rows 0.041–0.048 s, 1024 rows 0.053–0.057 s.
    private const int BlockRows = 64;

    private readonly int _columns;

    public MomentsPartial(int columns, EstimatesToCompute estimates)
    {
        _columns = columns;
        Estimates = estimates;
        Minimum = new double[columns];
        Maximum = new double[columns];
        Minimum.AsSpan().Fill(double.PositiveInfinity);
        Maximum.AsSpan().Fill(double.NegativeInfinity);
        Sum = new double[columns];
        SumSquares = new double[columns];
        Shift = new double[columns];
        Offset = new double[columns];
        M2 = new double[columns];
    }

    public int Columns => _columns;

    public EstimatesToCompute Estimates { get; }

    public long Count { get; private set; }

    public double[] Minimum { get; }

    public double[] Maximum { get; }

    public double[] Sum { get; }

    public double[] SumSquares { get; }

    /// <summary>The shift row s: the first row this partial saw.</summary>
    public double[] Shift { get; }

    /// <summary>Mean − <see cref="Shift"/>.</summary>
    public double[] Offset { get; }

    /// <summary>Column means, s + offset (a new array on each call).</summary>
    public double[] Mean => RowBlocks.ShiftedMean(Shift, Offset);

    public double[] M2 { get; }

    private bool WantsMinMax => Estimates != EstimatesToCompute.MeanVariance;

    private bool WantsSums => Estimates != EstimatesToCompute.MinMax;

    public static MomentsPartial Decode(ref PartialReader reader)
    {
        int columns = (int)reader.ReadInt64();
        var partial = new MomentsPartial(columns, (EstimatesToCompute)reader.ReadInt64()) { Count = reader.ReadInt64() };
        reader.Read<double>(partial.Minimum);
        reader.Read<double>(partial.Maximum);
        reader.Read<double>(partial.Sum);
        reader.Read<double>(partial.SumSquares);
        reader.Read<double>(partial.Shift);
        reader.Read<double>(partial.Offset);
        reader.Read<double>(partial.M2);
        return partial;
    }

    public void WriteTo(PartialWriter writer)
    {
        writer.Write(_columns);
        writer.Write((long)Estimates);
        writer.Write(Count);
        writer.Write<double>(Minimum);
        writer.Write<double>(Maximum);
        writer.Write<double>(Sum);
        writer.Write<double>(SumSquares);
        writer.Write<double>(Shift);
        writer.Write<double>(Offset);
        writer.Write<double>(M2);
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
        double[]? rented = typeof(T) == typeof(double) ? null : ArrayPool<double>.Shared.Rent(BlockRows * p);
        var block = new ShiftedColumnStatistics(p);
        try
        {
            for (int start = 0; start < totalRows; start += BlockRows)
            {
                int n = Math.Min(BlockRows, totalRows - start);
                var chunk = rows.Slice(start * p, n * p);
                ReadOnlySpan<double> values;
                if (rented is null)
                {
                    // Double input is read in place: no copy.
                    values = MemoryMarshal.Cast<T, double>(chunk);
                }
                else
                {
                    RowBlocks.Widen(chunk, rented);
                    values = rented.AsSpan(0, chunk.Length);
                }

                block.Compute(values, n, WantsMinMax, WantsSums);
                MergeBlock(n, block.Minimum, block.Maximum, block.Sum, block.SumSquares, block.Shift, block.Offset, block.M2);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<double>.Shared.Return(rented);
            }
        }
    }

    /// <summary>A partial holding exactly one block's statistics (a CSR block's), to be merged with <see cref="Merge(MomentsPartial)"/>.</summary>
    internal static MomentsPartial FromBlock(EstimatesToCompute estimates, long count, Kernels.SparseColumnStatistics block)
    {
        var partial = new MomentsPartial(block.Mean.Length, estimates) { Count = count };
        block.Minimum.CopyTo(partial.Minimum);
        block.Maximum.CopyTo(partial.Maximum);
        block.Sum.CopyTo(partial.Sum);
        block.SumSquares.CopyTo(partial.SumSquares);
        block.Mean.CopyTo(partial.Shift);  // the exact block mean as the shift, offset zero
        block.M2.CopyTo(partial.M2);
        return partial;
    }

    public void Merge(MomentsPartial b)
    {
        MergeBlock(b.Count, b.Minimum, b.Maximum, b.Sum, b.SumSquares, b.Shift, b.Offset, b.M2);
    }

    /// <summary>
    /// Folds in the statistics of <paramref name="count"/> other rows: extremes, raw sums and sums of squares, the
    /// mean as <paramref name="shift"/> + <paramref name="offset"/> and the centered sums of squares. A caller with
    /// exact block means may pass the mean as the shift and zeros as the offset. Statistics this partial does not
    /// compute (per <see cref="Estimates"/>) are ignored.
    /// </summary>
    public void MergeBlock(
        long count,
        ReadOnlySpan<double> minimum,
        ReadOnlySpan<double> maximum,
        ReadOnlySpan<double> sum,
        ReadOnlySpan<double> sumSquares,
        ReadOnlySpan<double> shift,
        ReadOnlySpan<double> offset,
        ReadOnlySpan<double> m2)
    {
        if (count == 0)
        {
            return;
        }

        if (WantsMinMax)
        {
            for (int j = 0; j < _columns; j++)
            {
                Minimum[j] = Math.Min(Minimum[j], minimum[j]);
                Maximum[j] = Math.Max(Maximum[j], maximum[j]);
            }
        }

        if (WantsSums)
        {
            for (int j = 0; j < _columns; j++)
            {
                Sum[j] += sum[j];
                SumSquares[j] += sumSquares[j];
            }

            ChanMerge(count, shift, offset, m2);
        }

        Count += count;
    }

    public LowOrderMomentsResult ToResult()
    {
        if (Count == 0)
        {
            throw new DistalException(FailureKind.Input, "no rows to compute moments over");
        }

        int p = _columns;
        double n = Count;
        bool sums = WantsSums;
        bool minMax = WantsMinMax;
        double[] mean = Mean;
        double[] variance = new double[p];
        double[] deviation = new double[p];
        for (int j = 0; j < p; j++)
        {
            variance[j] = M2[j] / (n - 1);
            deviation[j] = Math.Sqrt(variance[j]);
        }

        return new LowOrderMomentsResult(Count)
        {
            Minimum = minMax ? (double[])Minimum.Clone() : null,
            Maximum = minMax ? (double[])Maximum.Clone() : null,
            Sum = Estimates == EstimatesToCompute.All ? (double[])Sum.Clone() : null,
            SumSquares = Estimates == EstimatesToCompute.All ? (double[])SumSquares.Clone() : null,
            SumSquaresCentered = Estimates == EstimatesToCompute.All ? (double[])M2.Clone() : null,
            Mean = sums ? mean : null,
            SecondOrderRawMoment = Estimates == EstimatesToCompute.All ? Array.ConvertAll(SumSquares, s => s / n) : null,
            Variance = sums ? variance : null,
            StandardDeviation = Estimates == EstimatesToCompute.All ? deviation : null,
            Variation = Estimates == EstimatesToCompute.All ? deviation.Select((d, j) => d / mean[j]).ToArray() : null,
        };
    }

    /// <summary>
    /// Chan et al.'s pairwise update of (count, mean, M2) by another set of rows, on shifted means: the shifts are
    /// close and cancel exactly before the small offsets are compared. This partial keeps its own shift.
    /// </summary>
    private void ChanMerge(long countB, ReadOnlySpan<double> shiftB, ReadOnlySpan<double> offsetB, ReadOnlySpan<double> m2B)
    {
        if (Count == 0)
        {
            shiftB.CopyTo(Shift);
            offsetB.CopyTo(Offset);
            m2B.CopyTo(M2);
            return;
        }

        double n = Count + countB;
        double weightB = countB / n;
        double crossWeight = (double)Count * countB / n;
        for (int j = 0; j < _columns; j++)
        {
            double delta = (shiftB[j] - Shift[j]) + (offsetB[j] - Offset[j]);
            Offset[j] += delta * weightB;
            M2[j] += m2B[j] + (delta * delta * crossWeight);
        }
    }
}
