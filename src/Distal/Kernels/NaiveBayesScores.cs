using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Distal.Kernels;

/// <summary>
/// Multinomial naive Bayes scoring: the joint log-likelihoods jll[i, c] = logP[c] + Σ_j x_ij·logTheta[c, j] (four
/// classes per pass over a dense row, a walk over the stored values for CSR rows), then per row the label (the first
/// largest score, as numpy's argmax) and, when asked, log-probabilities jll − logsumexp(jll) computed about the row's
/// largest score so that no exponential overflows or underflows to a wrong answer, and their exponentials.
/// </summary>
internal static class NaiveBayesScores
{
    /// <summary>Rows per block: the block's widened copy and its n×C scores stay in cache.</summary>
    public const int BlockRows = 512;

    /// <summary>
    /// scores (n×C) = rows (n×p) · logThetaᵀ + logP. Each row is read once for four classes at a time (four Vector256
    /// accumulators share each load of the row): with C of a few classes a general matrix product spends its time
    /// packing, while this loop streams the rows at memory speed.
    /// </summary>
    public static void Dense<T>(ReadOnlySpan<T> rows, int n, int p, ReadOnlySpan<double> logTheta, ReadOnlySpan<double> logP, Span<double> scores, Span<double> scratch)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int classes = logP.Length;
        ReadOnlySpan<double> x;
        if (typeof(T) == typeof(double))
        {
            x = MemoryMarshal.Cast<T, double>(rows);
        }
        else
        {
            var widened = scratch[..(n * p)];
            for (int i = 0; i < widened.Length; i++)
            {
                widened[i] = double.CreateTruncating(rows[i]);
            }

            x = widened;
        }

        ref double theta = ref MemoryMarshal.GetReference(logTheta);
        for (int i = 0; i < n; i++)
        {
            ref double row = ref Unsafe.AsRef(in x[i * p]);
            var output = scores.Slice(i * classes, classes);
            int c = 0;
            for (; c + 4 <= classes; c += 4)
            {
                ref double t0 = ref Unsafe.Add(ref theta, c * p);
                ref double t1 = ref Unsafe.Add(ref t0, p);
                ref double t2 = ref Unsafe.Add(ref t1, p);
                ref double t3 = ref Unsafe.Add(ref t2, p);
                Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default;
                int j = 0;
                for (; j + 4 <= p; j += 4)
                {
                    var v = Vector256.LoadUnsafe(ref row, (nuint)j);
                    a0 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref t0, (nuint)j), a0);
                    a1 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref t1, (nuint)j), a1);
                    a2 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref t2, (nuint)j), a2);
                    a3 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref t3, (nuint)j), a3);
                }

                double s0 = Vector256.Sum(a0), s1 = Vector256.Sum(a1), s2 = Vector256.Sum(a2), s3 = Vector256.Sum(a3);
                for (; j < p; j++)
                {
                    double v = Unsafe.Add(ref row, j);
                    s0 = Math.FusedMultiplyAdd(v, Unsafe.Add(ref t0, j), s0);
                    s1 = Math.FusedMultiplyAdd(v, Unsafe.Add(ref t1, j), s1);
                    s2 = Math.FusedMultiplyAdd(v, Unsafe.Add(ref t2, j), s2);
                    s3 = Math.FusedMultiplyAdd(v, Unsafe.Add(ref t3, j), s3);
                }

                output[c] = s0 + logP[c];
                output[c + 1] = s1 + logP[c + 1];
                output[c + 2] = s2 + logP[c + 2];
                output[c + 3] = s3 + logP[c + 3];
            }

            for (; c < classes; c++)
            {
                ref double t = ref Unsafe.Add(ref theta, c * p);
                Vector256<double> a = default;
                int j = 0;
                for (; j + 4 <= p; j += 4)
                {
                    a = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row, (nuint)j), Vector256.LoadUnsafe(ref t, (nuint)j), a);
                }

                double sum = Vector256.Sum(a);
                for (; j < p; j++)
                {
                    sum = Math.FusedMultiplyAdd(Unsafe.Add(ref row, j), Unsafe.Add(ref t, j), sum);
                }

                output[c] = sum + logP[c];
            }
        }
    }

    /// <summary>scores (n×C) for CSR rows, touching only the stored values (each adds its term to every class).</summary>
    public static void Sparse<T>(CsrTable<T> rows, ReadOnlySpan<double> logTheta, ReadOnlySpan<double> logP, Span<double> scores)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int classes = logP.Length;
        int p = logTheta.Length / classes;
        var offsets = rows.RowOffsets.Span;
        var indices = rows.ColumnIndices.Span;
        var values = rows.Values.Span;
        int b = (int)rows.Indexing;
        for (int i = 0; i < rows.Rows; i++)
        {
            var row = scores.Slice(i * classes, classes);
            logP.CopyTo(row);
            for (int k = offsets[i] - b; k < offsets[i + 1] - b; k++)
            {
                double v = double.CreateTruncating(values[k]);
                int j = indices[k] - b;
                for (int c = 0; c < classes; c++)
                {
                    row[c] = Math.FusedMultiplyAdd(v, logTheta[(c * p) + j], row[c]);
                }
            }
        }
    }

    /// <summary>
    /// Labels from scores, and log-probabilities (in place of the scores) and probabilities when their spans are not
    /// empty.
    /// </summary>
    public static void Finish(Span<double> scores, int classes, Span<int> labels, Span<double> logProbabilities, Span<double> probabilities)
    {
        int n = labels.Length;
        for (int i = 0; i < n; i++)
        {
            var row = scores.Slice(i * classes, classes);
            int best = 0;
            for (int c = 1; c < classes; c++)
            {
                if (row[c] > row[best])
                {
                    best = c;
                }
            }

            labels[i] = best;
            if (logProbabilities.IsEmpty && probabilities.IsEmpty)
            {
                continue;
            }

            double max = row[best];
            double sum = 0;
            for (int c = 0; c < classes; c++)
            {
                sum += Math.Exp(row[c] - max);
            }

            double logNormalizer = max + Math.Log(sum);
            for (int c = 0; c < classes; c++)
            {
                double logProbability = row[c] - logNormalizer;
                if (!logProbabilities.IsEmpty)
                {
                    logProbabilities[(i * classes) + c] = logProbability;
                }

                if (!probabilities.IsEmpty)
                {
                    probabilities[(i * classes) + c] = Math.Exp(logProbability);
                }
            }
        }
    }
}
