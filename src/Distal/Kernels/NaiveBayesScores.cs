using System.Numerics;
using System.Runtime.InteropServices;

namespace Distal.Kernels;

/// <summary>
/// Multinomial naive Bayes scoring: the joint log-likelihoods jll[i, c] = logP[c] + Σ_j x_ij·logTheta[c, j] (one
/// matrix product for dense rows, a walk over the stored values for CSR rows), then per row the label (the first
/// largest score, as numpy's argmax) and, when asked, log-probabilities jll − logsumexp(jll) computed about the row's
/// largest score so that no exponential overflows or underflows to a wrong answer, and their exponentials.
/// </summary>
internal static class NaiveBayesScores
{
    /// <summary>Rows per block: the block's widened copy and its n×C scores stay in cache.</summary>
    public const int BlockRows = 512;

    /// <summary>scores (n×C) = rows (n×p) · logThetaᵀ + logP.</summary>
    public static void Dense<T>(ReadOnlySpan<T> rows, int n, int p, ReadOnlySpan<double> logTheta, ReadOnlySpan<double> logP, Span<double> scores, Span<double> scratch, IDenseKernels kernels)
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

        kernels.MultiplyTransposed(x, n, p, logTheta, classes, scores, threads: 1);
        for (int i = 0; i < n; i++)
        {
            var row = scores.Slice(i * classes, classes);
            for (int c = 0; c < classes; c++)
            {
                row[c] += logP[c];
            }
        }
    }

    /// <summary>scores (n×C) for CSR rows, touching only the stored values.</summary>
    public static void Sparse<T>(CsrTable<T> rows, ReadOnlySpan<double> logTheta, ReadOnlySpan<double> logP, Span<double> scores)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int classes = logP.Length;
        int p = logTheta.Length / classes;
        var indices = rows.ColumnIndices.Span;
        var values = rows.Values.Span;
        int b = (int)rows.Indexing;
        for (int i = 0; i < rows.Rows; i++)
        {
            var row = scores.Slice(i * classes, classes);
            var (start, end) = rows.RowRange(i);
            for (int c = 0; c < classes; c++)
            {
                var theta = logTheta.Slice(c * p, p);
                double sum = 0;
                for (int k = start; k < end; k++)
                {
                    sum = Math.FusedMultiplyAdd(double.CreateTruncating(values[k]), theta[indices[k] - b], sum);
                }

                row[c] = sum + logP[c];
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
