namespace Distal.Kernels;

/// <summary>
/// A Householder QR whose Q has not been formed (<see cref="IDenseKernels.QrFactorDeferred"/>): the reflectors stay in
/// the m×n block the factorization wrote, and <see cref="FormProduct"/> turns that block into Q·B for one n×n B.
/// </summary>
internal abstract class FactoredQr
{
    /// <summary>
    /// Overwrites <paramref name="a"/> (the m×n block holding the reflectors, unchanged since the factorization) with
    /// Q·B for <paramref name="b"/> (n×n). Once only: the reflectors are gone afterwards.
    /// </summary>
    public abstract void FormProduct(Span<double> a, ReadOnlySpan<double> b, int threads);
}
