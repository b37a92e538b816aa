using System.Numerics;
using System.Runtime.InteropServices;

namespace Distal.Algorithms;

/// <summary>
/// The block preparation the partial results share: widen a block of rows to double in a cached scratch buffer and,
/// when asked, center it about its own mean (taken as first row + offset), so that sums of products are taken about
/// the block mean and merged pairwise (never Σxxᵀ − n·mean·meanᵀ).
/// </summary>
internal static class RowBlocks
{
    /// <summary>shift + offset, element by element, as a new array: the mean of a shifted partial.</summary>
    public static double[] ShiftedMean(ReadOnlySpan<double> shift, ReadOnlySpan<double> offset)
    {
        var mean = new double[shift.Length];
        for (int j = 0; j < mean.Length; j++)
        {
            mean[j] = shift[j] + offset[j];
        }

        return mean;
    }

    /// <summary>
    /// An estimate of the column means of a <paramref name="rows"/>×<paramref name="columns"/> block, rounded to
    /// doubles: its first row plus the mean difference from that row (differences that are exact for data within a
    /// factor of two of the first row, so 1e8 + noise gives the mean to the last bit or so). With
    /// <paramref name="spread"/>, also the largest distance of a row from the first row, per column.
    /// </summary>
    public static void EstimateMean<T>(ReadOnlySpan<T> block, int rows, int columns, Span<double> estimate, Span<double> spread = default)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Span<double> first = columns <= 256 ? stackalloc double[columns] : new double[columns];
        Widen(block[..columns], first);
        estimate.Clear();
        spread.Clear();
        bool wantsSpread = !spread.IsEmpty;
        for (int i = 1; i < rows; i++)
        {
            var row = block.Slice(i * columns, columns);
            for (int j = 0; j < columns; j++)
            {
                double d = double.CreateTruncating(row[j]) - first[j];
                estimate[j] += d;
                if (wantsSpread)
                {
                    spread[j] = Math.Max(spread[j], Math.Abs(d));
                }
            }
        }

        double inverse = 1.0 / rows;
        for (int j = 0; j < columns; j++)
        {
            estimate[j] = first[j] + (estimate[j] * inverse);
        }
    }

    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/> as doubles.</summary>
    public static void Widen<T>(ReadOnlySpan<T> source, Span<double> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            MemoryMarshal.Cast<T, double>(source).CopyTo(destination);
            return;
        }

        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = double.CreateTruncating(source[i]);
        }
    }

    /// <summary>
    /// Copies the <paramref name="rows"/>×<paramref name="columns"/> <paramref name="block"/> into
    /// <paramref name="copy"/> as doubles centered about the block mean, which it returns as
    /// <paramref name="shift"/> (an estimate of the mean, <see cref="EstimateMean"/>) + <paramref name="offset"/>.
    /// Each value is first taken about the shift, exactly while it is within a factor of two of it, so data far from
    /// zero lose nothing; and since the shift is close to the mean, data near zero are rounded about as little as
    /// by subtracting the mean itself.
    /// </summary>
    public static void CopyShiftCentered<T>(ReadOnlySpan<T> block, int rows, int columns, Span<double> shift, Span<double> offset, Span<double> copy)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        EstimateMean(block, rows, columns, shift);
        Widen(block, copy);
        offset.Clear();
        for (int i = 0; i < rows; i++)
        {
            var row = copy.Slice(i * columns, columns);
            SubtractAndAdd(row, shift, offset);
        }

        double inverse = 1.0 / rows;
        for (int j = 0; j < columns; j++)
        {
            offset[j] *= inverse;
        }

        for (int i = 0; i < rows; i++)
        {
            SubtractFrom(copy.Slice(i * columns, columns), offset);
        }
    }

    /// <summary>row −= shift, then sum += row.</summary>
    private static void SubtractAndAdd(Span<double> row, ReadOnlySpan<double> shift, Span<double> sum)
    {
        int j = 0;
        var rows = MemoryMarshal.Cast<double, Vector<double>>(row);
        var shifts = MemoryMarshal.Cast<double, Vector<double>>(shift);
        var sums = MemoryMarshal.Cast<double, Vector<double>>(sum);
        for (; j < rows.Length; j++)
        {
            var v = rows[j] - shifts[j];
            rows[j] = v;
            sums[j] += v;
        }

        for (j *= Vector<double>.Count; j < row.Length; j++)
        {
            row[j] -= shift[j];
            sum[j] += row[j];
        }
    }

    private static void SubtractFrom(Span<double> row, ReadOnlySpan<double> mean)
    {
        int j = 0;
        var rows = MemoryMarshal.Cast<double, Vector<double>>(row);
        var means = MemoryMarshal.Cast<double, Vector<double>>(mean);
        for (; j < rows.Length; j++)
        {
            rows[j] -= means[j];
        }

        for (j *= Vector<double>.Count; j < row.Length; j++)
        {
            row[j] -= mean[j];
        }
    }
}
