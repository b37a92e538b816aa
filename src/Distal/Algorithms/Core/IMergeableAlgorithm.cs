using System.Numerics;

namespace Distal.Algorithms;

/// <summary>
/// An algorithm as partial result + merge + finalize (DESIGN §3), typed by its partial. The public algorithm class
/// implements this explicitly and hands itself to <see cref="PartialEngine.Of{TPartial, TResult}"/>; batch,
/// streaming, distributed and streaming + distributed modes then follow from these three operations alone.
/// </summary>
/// <typeparam name="TPartial">The partial result type.</typeparam>
/// <typeparam name="TResult">The result type.</typeparam>
internal interface IMergeableAlgorithm<TPartial, TResult>
    where TPartial : class, IPartial<TPartial>
{
    /// <summary>The algorithm's name in messages (daal4py's, e.g. <c>covariance</c>).</summary>
    string Name { get; }

    /// <summary>The daal4py name of the second input (<c>dependentVariables</c>, <c>labels</c>); null when unsupervised.</summary>
    string? TargetName { get; }

    /// <summary>An empty partial for inputs of the agreed <paramref name="shape"/>; validates options against it.</summary>
    TPartial CreatePartial(InputShape shape, ComputeContext context);

    /// <summary>Folds a block of rows into <paramref name="partial"/> (float input accumulates in double).</summary>
    void Accumulate<T>(TPartial partial, AlgorithmInput<T> rows, ComputeContext context)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>;

    /// <summary>
    /// Turns the partial over all rows into the result; validates what needs all rows (enough rows, ...). Every rank
    /// runs it on identical bytes, so results are bitwise identical everywhere and a failure fails every rank alike.
    /// </summary>
    TResult Finalize(TPartial partial, ComputeContext context);
}
