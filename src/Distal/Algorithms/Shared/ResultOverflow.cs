using System.Globalization;

namespace Distal.Algorithms;

/// <summary>
/// Finite inputs whose statistics leave the double range (squares of ±1e200 are 1e400) would otherwise come out as a
/// silent ∞ or NaN in the result. The check runs on the finalized result, which is identical on every rank, so every
/// rank raises the same error without any communication.
/// </summary>
internal static class ResultOverflow
{
    /// <summary>Throws when <paramref name="values"/> (one per column) holds a value that is not finite, naming the column.</summary>
    public static void ThrowIfAny(string algorithm, string statistic, ReadOnlySpan<double> values)
    {
        for (int j = 0; j < values.Length; j++)
        {
            if (!double.IsFinite(values[j]))
            {
                throw Overflow(algorithm, statistic, j);
            }
        }
    }

    /// <summary>
    /// Throws when the p×p <paramref name="matrix"/> holds a value that is not finite, naming a column. The diagonal is
    /// looked at first: |c_ij| ≤ √(c_ii·c_jj), so an entry overflows only when a diagonal entry does (or nearly does).
    /// </summary>
    public static void ThrowIfAny(string algorithm, string statistic, ReadOnlySpan<double> matrix, int p)
    {
        for (int j = 0; j < p; j++)
        {
            if (!double.IsFinite(matrix[(j * p) + j]))
            {
                throw Overflow(algorithm, statistic, j);
            }
        }

        for (int i = 0; i < matrix.Length; i++)
        {
            if (!double.IsFinite(matrix[i]))
            {
                throw Overflow(algorithm, statistic, i % p);
            }
        }
    }

    private static DistalException Overflow(string algorithm, string statistic, int column)
        => new(FailureKind.Input, string.Create(CultureInfo.InvariantCulture,
            $"{algorithm}: the {statistic} of column {column + 1} is not finite: its values are too large in magnitude (their squares or sums exceed {double.MaxValue:E1}; scale that column down) or include NaN or infinity"));
}
