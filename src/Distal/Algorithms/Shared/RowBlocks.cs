using System.Numerics;
using System.Runtime.InteropServices;

namespace Distal.Algorithms;

/// <summary>
/// The block preparation the partial results share: widen a block of rows to double in a cached scratch buffer and,
/// when asked, center it about its own mean, so that sums of products are taken about the block mean and merged
/// pairwise (never Σxxᵀ − n·mean·meanᵀ).
/// </summary>
internal static class RowBlocks
{
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
    /// <paramref name="copy"/> as doubles; with <paramref name="center"/>, also computes its column means into
    /// <paramref name="mean"/> and subtracts them from the copy.
    /// </summary>
    public static void CopyCentered<T>(ReadOnlySpan<T> block, int rows, int columns, bool center, Span<double> mean, Span<double> copy)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (!center)
        {
            Widen(block, copy);
            return;
        }

        mean.Clear();
        if (typeof(T) == typeof(double))
        {
            // One pass copies the rows into the cached scratch and sums them, while each row is in L1.
            var source = MemoryMarshal.Cast<T, double>(block);
            for (int i = 0; i < rows; i++)
            {
                CopyAndAdd(source.Slice(i * columns, columns), copy.Slice(i * columns, columns), mean);
            }
        }
        else
        {
            Widen(block, copy);
            for (int i = 0; i < rows; i++)
            {
                var row = copy.Slice(i * columns, columns);
                CopyAndAdd(row, row, mean);
            }
        }

        double inverse = 1.0 / rows;
        for (int j = 0; j < columns; j++)
        {
            mean[j] *= inverse;
        }

        for (int i = 0; i < rows; i++)
        {
            SubtractFrom(copy.Slice(i * columns, columns), mean);
        }
    }

    private static void CopyAndAdd(ReadOnlySpan<double> row, Span<double> copy, Span<double> sum)
    {
        int j = 0;
        var rows = MemoryMarshal.Cast<double, Vector<double>>(row);
        var copies = MemoryMarshal.Cast<double, Vector<double>>(copy);
        var sums = MemoryMarshal.Cast<double, Vector<double>>(sum);
        for (; j < rows.Length; j++)
        {
            var v = rows[j];
            copies[j] = v;
            sums[j] += v;
        }

        for (j *= Vector<double>.Count; j < row.Length; j++)
        {
            copy[j] = row[j];
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
