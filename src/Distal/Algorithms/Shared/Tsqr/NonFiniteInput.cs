namespace Distal.Algorithms;

/// <summary>
/// Detects NaN or infinite input after the fact: any such value reaches the sufficient statistics (R factors, means,
/// cross-products), so checking those small arrays once per block costs nothing next to reading the rows.
/// </summary>
internal static class NonFiniteInput
{
    public static void ThrowIfAny(ReadOnlySpan<double> statistics)
    {
        foreach (double v in statistics)
        {
            if (!double.IsFinite(v))
            {
                throw new DistalException(FailureKind.Input, "the rows contain NaN or infinite values");
            }
        }
    }
}
