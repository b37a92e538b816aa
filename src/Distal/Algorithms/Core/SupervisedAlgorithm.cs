using System.Numerics;
using Distal.Data;

namespace Distal.Algorithms;

/// <summary>
/// A supervised training algorithm: it takes the data and, row for row, a target — the dependent variables of a
/// regression or the labels of a classifier — as two separate tables (never glued together). It is a partial
/// result + merge + finalize like every mergeable algorithm, so it runs batch, streaming
/// (<see cref="CreateOnline"/>), distributed and streaming + distributed.
/// </summary>
/// <typeparam name="TResult">The result type (a trained model and its statistics).</typeparam>
public abstract class SupervisedAlgorithm<TResult> : Algorithm
{
    private protected SupervisedAlgorithm()
    {
    }

    /// <summary>The engine that runs this algorithm's typed partial in every mode.</summary>
    internal abstract PartialEngine<TResult> Engine { get; }

    /// <summary>
    /// Trains on <paramref name="data"/> (n × p) and <paramref name="target"/> (n × k dependent variables, or n × 1
    /// labels) — this rank's rows when distributed. The row counts must agree on every rank.
    /// </summary>
    public TResult Compute(Table<double> data, Table<double> target) => ComputeTables(data, target);

    /// <summary>Trains on float data and target; accumulation is in double.</summary>
    public TResult Compute(Table<float> data, Table<float> target) => ComputeTables(data, target);

    /// <summary>
    /// Reads the data and the target from two files (CSV, or .npy by extension) and trains — daal4py's two-file
    /// input. When distributed, each rank passes its own pair of files.
    /// </summary>
    public TResult Compute(string dataPath, string targetPath)
    {
        var context = ResolveContext();
        var data = ReadPerRank(context, dataPath);
        var target = ReadPerRank(context, targetPath);
        return Engine.Compute<double>(data, target, context);
    }

    /// <summary>
    /// Starts a streaming (online) training: add chunks of rows with their targets as they arrive, finalize whenever
    /// a model is wanted, and keep adding afterwards. With <see cref="Algorithm.Distributed"/> set, each rank streams
    /// its own chunks and <see cref="SupervisedOnlineComputation{TResult}.Finalize"/> is collective.
    /// </summary>
    public SupervisedOnlineComputation<TResult> CreateOnline() => new(Engine.StartOnline(ResolveContext()));

    /// <summary>Trains on any row table (dense or sparse) with its target.</summary>
    internal TResult ComputeRows<T>(IRowTable<T> data, Table<T> target)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(target);
        return Engine.Compute(data, target, ResolveContext());
    }

    private TResult ComputeTables<T>(Table<T> data, Table<T> target)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => ComputeRows(data, target);
}
