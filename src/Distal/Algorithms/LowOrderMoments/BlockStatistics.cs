using System.Numerics;
using System.Runtime.InteropServices;

namespace Distal.Algorithms.LowOrderMoments;

/// <summary>One block's column statistics, computed in two passes over the (cached) block: sums, extremes, then M2.</summary>
internal sealed class BlockStatistics(int columns)
{
    public double[] Minimum { get; } = new double[columns];

    public double[] Maximum { get; } = new double[columns];

    public double[] Sum { get; } = new double[columns];

    public double[] SumSquares { get; } = new double[columns];

    public double[] Mean { get; } = new double[columns];

    public double[] M2 { get; } = new double[columns];

    public void Compute(ReadOnlySpan<double> values, int rows, bool minMax, bool sums)
    {
        int p = Minimum.Length;
        Minimum.AsSpan().Fill(double.PositiveInfinity);
        Maximum.AsSpan().Fill(double.NegativeInfinity);
        Sum.AsSpan().Clear();
        SumSquares.AsSpan().Clear();
        M2.AsSpan().Clear();
        for (int i = 0; i < rows; i++)
        {
            var row = values.Slice(i * p, p);
            if (minMax)
            {
                RowMinMax(row);
            }

            if (sums)
            {
                RowSums(row);
            }
        }

        if (!sums)
        {
            return;
        }

        double inverse = 1.0 / rows;
        for (int j = 0; j < p; j++)
        {
            Mean[j] = Sum[j] * inverse;
        }

        for (int i = 0; i < rows; i++)
        {
            RowCenteredSquares(values.Slice(i * p, p));
        }
    }

    private void RowMinMax(ReadOnlySpan<double> row)
    {
        var min = Minimum.AsSpan();
        var max = Maximum.AsSpan();
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var rowVectors = MemoryMarshal.Cast<double, Vector<double>>(row);
            var minVectors = MemoryMarshal.Cast<double, Vector<double>>(min);
            var maxVectors = MemoryMarshal.Cast<double, Vector<double>>(max);
            for (int v = 0; v < rowVectors.Length; v++)
            {
                minVectors[v] = Vector.Min(minVectors[v], rowVectors[v]);
                maxVectors[v] = Vector.Max(maxVectors[v], rowVectors[v]);
            }

            j = rowVectors.Length * Vector<double>.Count;
        }

        for (; j < row.Length; j++)
        {
            min[j] = Math.Min(min[j], row[j]);
            max[j] = Math.Max(max[j], row[j]);
        }
    }

    private void RowSums(ReadOnlySpan<double> row)
    {
        var sum = Sum.AsSpan();
        var squares = SumSquares.AsSpan();
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var rowVectors = MemoryMarshal.Cast<double, Vector<double>>(row);
            var sumVectors = MemoryMarshal.Cast<double, Vector<double>>(sum);
            var squareVectors = MemoryMarshal.Cast<double, Vector<double>>(squares);
            for (int v = 0; v < rowVectors.Length; v++)
            {
                var x = rowVectors[v];
                sumVectors[v] += x;
                squareVectors[v] += x * x;
            }

            j = rowVectors.Length * Vector<double>.Count;
        }

        for (; j < row.Length; j++)
        {
            sum[j] += row[j];
            squares[j] += row[j] * row[j];
        }
    }

    private void RowCenteredSquares(ReadOnlySpan<double> row)
    {
        var mean = Mean.AsSpan();
        var m2 = M2.AsSpan();
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var rowVectors = MemoryMarshal.Cast<double, Vector<double>>(row);
            var meanVectors = MemoryMarshal.Cast<double, Vector<double>>(mean);
            var m2Vectors = MemoryMarshal.Cast<double, Vector<double>>(m2);
            for (int v = 0; v < rowVectors.Length; v++)
            {
                var d = rowVectors[v] - meanVectors[v];
                m2Vectors[v] += d * d;
            }

            j = rowVectors.Length * Vector<double>.Count;
        }

        for (; j < row.Length; j++)
        {
            double d = row[j] - mean[j];
            m2[j] += d * d;
        }
    }
}
