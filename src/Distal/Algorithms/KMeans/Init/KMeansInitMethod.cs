namespace Distal.Algorithms;

/// <summary>How <see cref="KMeansInit"/> chooses the initial centroids (daal4py's <c>method</c> strings in C# casing).</summary>
public enum KMeansInitMethod
{
    /// <summary><c>deterministicDense</c> (daal4py's <c>defaultDense</c>): the first k rows in global row order.</summary>
    DeterministicDense,

    /// <summary><c>randomDense</c>: k distinct rows drawn uniformly from all rows.</summary>
    RandomDense,

    /// <summary><c>plusPlusDense</c>: k-means++ (Arthur and Vassilvitskii), with <see cref="KMeansInit.NTrials"/> greedy trials per centroid.</summary>
    PlusPlusDense,

    /// <summary>
    /// <c>parallelPlusDense</c>: k-means‖ (Bahmani et al.) — <see cref="KMeansInit.NRounds"/> rounds each oversampling
    /// about <see cref="KMeansInit.OversamplingFactor"/>·k candidates, then weighted k-means++ on the candidates.
    /// </summary>
    ParallelPlusDense,
}

/// <summary>daal4py's method strings for <see cref="KMeansInitMethod"/>.</summary>
internal static class KMeansInitMethodNames
{
    public static string ToName(KMeansInitMethod method) => method switch
    {
        KMeansInitMethod.DeterministicDense => "deterministicDense",
        KMeansInitMethod.RandomDense => "randomDense",
        KMeansInitMethod.PlusPlusDense => "plusPlusDense",
        KMeansInitMethod.ParallelPlusDense => "parallelPlusDense",
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    /// <summary>Parses a daal4py method string (<c>defaultDense</c> is <c>deterministicDense</c>); case-insensitive.</summary>
    public static KMeansInitMethod Parse(string name) => name.Trim().ToUpperInvariant() switch
    {
        "DEFAULTDENSE" or "DETERMINISTICDENSE" => KMeansInitMethod.DeterministicDense,
        "RANDOMDENSE" => KMeansInitMethod.RandomDense,
        "PLUSPLUSDENSE" => KMeansInitMethod.PlusPlusDense,
        "PARALLELPLUSDENSE" => KMeansInitMethod.ParallelPlusDense,
        _ => throw new DistalException(FailureKind.Usage, $"unknown k-means init method '{name}'; use deterministicDense, randomDense, plusPlusDense or parallelPlusDense"),
    };
}
