using System.Buffers;
using System.Numerics;
using Distal.Kernels;

namespace Distal.Algorithms;

/// <summary>
/// The R factor of the rows seen so far (optionally of the rows centered about their mean), with the row count and
/// the mean: the mergeable partial of streaming QR, SVD and SVD-method PCA. Rows are folded in chunk by chunk by
/// stacking the current R on top of the chunk and taking the QR of the stack; two partials merge by the QR of their
/// stacked R factors. For centered partials the stack gets one more row, √(n_a·n_b/n)·(mean_b − mean_a): the
/// factored form of the pairwise (Chan) update of the centered cross-products, so RᵀR is always the centered Gram
/// matrix and no Σx² − n·mean² cancellation ever happens. Centered partials are shifted, like the cross-product
/// partials: the mean is kept as shift + offset (the shift is an estimate of the first chunk's mean), each chunk is
/// centered as (x − an estimate of its mean) − offset, and mean_b − mean_a is formed as (s_b − s_a) + (offset_b − offset_a), so data far
/// from zero lose nothing. R keeps a non-negative diagonal.
/// </summary>
internal sealed class RFactorPartial : IPartial<RFactorPartial>
{
    private readonly int _columns;
    private double[] _r;

    public RFactorPartial(int columns, bool centered)
    {
        _columns = columns;
        Centered = centered;
        Shift = new double[centered ? columns : 0];
        Offset = new double[centered ? columns : 0];
        _r = [];
    }

    public int Columns => _columns;

    /// <summary>True when R is the factor of the rows centered about <see cref="Mean"/>.</summary>
    public bool Centered { get; }

    public long Count { get; private set; }

    /// <summary>The shift row: an estimate of the first chunk's mean (empty when not <see cref="Centered"/>).</summary>
    public double[] Shift { get; }

    /// <summary>Mean − <see cref="Shift"/> (empty when not <see cref="Centered"/>).</summary>
    public double[] Offset { get; }

    /// <summary>Column means, shift + offset, as a new array (empty when not <see cref="Centered"/>).</summary>
    public double[] Mean => RowBlocks.ShiftedMean(Shift, Offset);

    /// <summary>Rows of R: min(rows stacked so far, columns).</summary>
    public int FactorRows => _columns == 0 ? 0 : _r.Length / _columns;

    /// <summary>R, <see cref="FactorRows"/>×<see cref="Columns"/> row-major, upper trapezoidal.</summary>
    public ReadOnlySpan<double> R => _r;

    public static RFactorPartial Decode(ref PartialReader reader)
    {
        int columns = (int)reader.ReadInt64();
        bool centered = reader.ReadInt64() != 0;
        var partial = new RFactorPartial(columns, centered) { Count = reader.ReadInt64() };
        reader.Read<double>(partial.Shift);
        reader.Read<double>(partial.Offset);
        partial._r = reader.ReadArray<double>();
        return partial;
    }

    public void WriteTo(PartialWriter writer)
    {
        writer.Write(_columns);
        writer.Write(Centered ? 1L : 0L);
        writer.Write(Count);
        writer.Write<double>(Shift);
        writer.Write<double>(Offset);
        writer.WriteArray<double>(_r);
    }

    /// <summary>The p×p R, zero rows appended when fewer than p rows were seen.</summary>
    public double[] SquareR()
    {
        var square = new double[_columns * _columns];
        _r.CopyTo(square, 0);
        return square;
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
        int chunkRows = TsqrLayout.ChunkRows(p);
        double[] stack = ArrayPool<double>.Shared.Rent((p + chunkRows + 1) * p);
        double[] chunkShift = new double[Centered ? p : 0];
        double[] chunkOffset = new double[Centered ? p : 0];
        try
        {
            for (int start = 0; start < totalRows; start += chunkRows)
            {
                int n = Math.Min(chunkRows, totalRows - start);
                var chunk = stack.AsSpan(0, n * p);
                if (Centered)
                {
                    RowBlocks.CopyShiftCentered(rows.Slice(start * p, n * p), n, p, chunkShift, chunkOffset, chunk);
                }
                else
                {
                    RowBlocks.Widen(rows.Slice(start * p, n * p), chunk);
                }

                Absorb(stack, n, n, chunkShift, chunkOffset);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(stack);
        }

        NonFiniteInput.ThrowIfAny(_r);
        NonFiniteInput.ThrowIfAny(Shift);
        NonFiniteInput.ThrowIfAny(Offset);
    }

    public void Merge(RFactorPartial b)
    {
        if (b.Count == 0)
        {
            return;
        }

        int p = _columns;
        double[] stack = ArrayPool<double>.Shared.Rent((FactorRows + b.FactorRows + 1) * p);
        try
        {
            b._r.CopyTo(stack, 0);
            Absorb(stack, b.FactorRows, b.Count, b.Shift, b.Offset);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(stack);
        }
    }

    /// <summary>
    /// Folds rows summarizing <paramref name="count"/> data rows (the data themselves, or an R factor) into this
    /// partial. <paramref name="work"/> holds those <paramref name="blockRows"/> rows at its start and has room for
    /// this partial's R and one correction row after them; it is overwritten.
    /// </summary>
    private void Absorb(double[] work, int blockRows, long count, ReadOnlySpan<double> blockShift, ReadOnlySpan<double> blockOffset)
    {
        int p = _columns;
        int k = FactorRows;
        int stackRows = blockRows + k;
        _r.CopyTo(work.AsSpan(blockRows * p));
        if (Centered && Count == 0)
        {
            blockShift.CopyTo(Shift);
            blockOffset.CopyTo(Offset);
        }
        else if (Centered)
        {
            var correction = work.AsSpan(stackRows * p, p);
            double weight = Math.Sqrt(Count * (double)count / (Count + count));
            double share = count / (double)(Count + count);
            for (int j = 0; j < p; j++)
            {
                // The shifts are close and cancel exactly (Sterbenz); only then are the small offsets compared.
                double delta = (blockShift[j] - Shift[j]) + (blockOffset[j] - Offset[j]);
                correction[j] = weight * delta;
                Offset[j] += delta * share;
            }

            stackRows++;
        }

        Count += count;
        if (stackRows == 0)
        {
            return;
        }

        int factorRows = Math.Min(stackRows, p);
        var r = _r.Length == factorRows * p ? _r : new double[factorRows * p];
        DenseKernels.Current.QrFactor(work.AsSpan(0, stackRows * p), stackRows, p, r, Span<double>.Empty, threads: 1);
        _r = r;
    }
}
