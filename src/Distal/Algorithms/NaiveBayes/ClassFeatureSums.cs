using System.Numerics;
using System.Runtime.InteropServices;

namespace Distal.Algorithms;

/// <summary>
/// The partial result of multinomial naive Bayes training: per class, the sum of each feature's counts over the
/// class's rows (C×p) and the number of rows. Sums of non-negative counts: merging adds, exactly as if the rows had
/// been seen together (to the rounding of the additions; exact for integer counts below 2^53).
/// </summary>
internal sealed class ClassFeatureSums : IPartial<ClassFeatureSums>
{
    public ClassFeatureSums(int classes, int features)
    {
        Classes = classes;
        Features = features;
        Sums = new double[checked(classes * features)];
        Counts = new long[classes];
    }

    public int Classes { get; }

    public int Features { get; }

    /// <summary>C×p row-major: Sums[c·p + j] = Σ x_j over the rows of class c.</summary>
    public double[] Sums { get; }

    public long[] Counts { get; }

    public long Rows => Counts.Sum();

    public void Merge(ClassFeatureSums other)
    {
        for (int i = 0; i < Sums.Length; i++)
        {
            Sums[i] += other.Sums[i];
        }

        for (int c = 0; c < Classes; c++)
        {
            Counts[c] += other.Counts[c];
        }
    }

    public void WriteTo(PartialWriter writer)
    {
        writer.Write(Classes);
        writer.Write(Features);
        writer.Write<double>(Sums);
        writer.Write<long>(Counts);
    }

    public static ClassFeatureSums Decode(ref PartialReader reader)
    {
        var partial = new ClassFeatureSums((int)reader.ReadInt64(), (int)reader.ReadInt64());
        reader.Read<double>(partial.Sums);
        reader.Read<long>(partial.Counts);
        return partial;
    }

    /// <summary>
    /// Adds dense rows (row-major, <see cref="Features"/> wide) with their labels. The sums take the rows as they come;
    /// a negative count shows in a running column minimum and a NaN or infinity in the sums, and only then are the rows
    /// searched for the first bad value, which is thrown as <see cref="InvalidTrainingRowException"/>.
    /// </summary>
    public void AddDense<T>(ReadOnlySpan<T> rows, ReadOnlySpan<T> labels)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int p = Features;
        int n = labels.Length;
        Span<double> minimum = p <= 512 ? stackalloc double[p] : new double[p];
        minimum.Fill(double.PositiveInfinity);
        double[] widened = typeof(T) == typeof(double) ? [] : new double[p];
        for (int i = 0; i < n; i++)
        {
            int c = Label(labels, i);
            var source = rows.Slice(i * p, p);
            ReadOnlySpan<double> row;
            if (typeof(T) == typeof(double))
            {
                row = MemoryMarshal.Cast<T, double>(source);
            }
            else
            {
                for (int j = 0; j < p; j++)
                {
                    widened[j] = double.CreateTruncating(source[j]);
                }

                row = widened;
            }

            AddRow(row, Sums.AsSpan(c * p, p), minimum);
            Counts[c]++;
        }

        if (!AllValid(minimum))
        {
            FindFault(rows, n);
        }
    }

    /// <summary>Adds CSR rows with their labels; a bad value is thrown as <see cref="InvalidTrainingRowException"/>.</summary>
    public void AddSparse<T>(CsrTable<T> rows, ReadOnlySpan<T> labels)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int p = Features;
        var indices = rows.ColumnIndices.Span;
        var values = rows.Values.Span;
        int b = (int)rows.Indexing;
        for (int i = 0; i < rows.Rows; i++)
        {
            int c = Label(labels, i);
            var sums = Sums.AsSpan(c * p, p);
            var (start, end) = rows.RowRange(i);
            for (int k = start; k < end; k++)
            {
                double v = double.CreateTruncating(values[k]);
                if (!(v >= 0) || double.IsPositiveInfinity(v))
                {
                    throw new InvalidTrainingRowException(i, indices[k] - b, inLabels: false, CountFault(v, indices[k] - b));
                }

                sums[indices[k] - b] += v;
            }

            Counts[c]++;
        }
    }

    private int Label<T>(ReadOnlySpan<T> labels, int row)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double label = double.CreateTruncating(labels[row]);
        if (label >= 0 && label < Classes && Math.Floor(label) == label)
        {
            return (int)label;
        }

        string shown = label.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        string cause = double.IsFinite(label) && Math.Floor(label) == label
            ? $"label {shown} is outside [0, {Classes - 1}] (nClasses is {Classes})"
            : $"label {shown} is not an integer class";
        throw new InvalidTrainingRowException(row, -1, inLabels: true, cause);
    }

    private static void AddRow(ReadOnlySpan<double> row, Span<double> sums, Span<double> minimum)
    {
        var rowVectors = MemoryMarshal.Cast<double, Vector<double>>(row);
        var sumVectors = MemoryMarshal.Cast<double, Vector<double>>(sums);
        var minVectors = MemoryMarshal.Cast<double, Vector<double>>(minimum);
        for (int v = 0; v < rowVectors.Length; v++)
        {
            var x = rowVectors[v];
            sumVectors[v] += x;
            minVectors[v] = Vector.Min(minVectors[v], x);
        }

        for (int j = rowVectors.Length * Vector<double>.Count; j < row.Length; j++)
        {
            sums[j] += row[j];
            minimum[j] = Math.Min(minimum[j], row[j]);
        }
    }

    /// <summary>True when no count was negative and no sum turned NaN or infinite.</summary>
    private bool AllValid(ReadOnlySpan<double> minimum)
    {
        foreach (double m in minimum)
        {
            if (!(m >= 0))
            {
                return false;
            }
        }

        foreach (double s in Sums)
        {
            if (!double.IsFinite(s))
            {
                return false;
            }
        }

        return true;
    }

    private void FindFault<T>(ReadOnlySpan<T> rows, int n)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int p = Features;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < p; j++)
            {
                double v = double.CreateTruncating(rows[(i * p) + j]);
                if (!(v >= 0) || double.IsPositiveInfinity(v))
                {
                    throw new InvalidTrainingRowException(i, j, inLabels: false, CountFault(v, j));
                }
            }
        }

        // The rows are clean, so earlier rows overflowed a sum to infinity.
        throw new DistalException(FailureKind.Numerical, "a per-class feature sum overflowed to infinity");
    }

    private static string CountFault(double value, int column)
    {
        string shown = value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        return double.IsFinite(value)
            ? $"count {shown} in column {column} is negative"
            : $"count {shown} in column {column} is not finite";
    }
}
