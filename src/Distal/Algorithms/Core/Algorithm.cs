using System.Numerics;
using Distal.Communication;
using Distal.Data;

namespace Distal.Algorithms;

/// <summary>
/// What every Distal algorithm shares: its options say <em>what</em> to compute; <see cref="Distributed"/> and
/// <see cref="Communicator"/> say over <em>which ranks</em>. With <see cref="Distributed"/> set, a computation is
/// collective: every rank passes its own rows and gets the result over all rows, the same on every rank.
/// </summary>
public abstract class Algorithm
{
    private protected Algorithm()
    {
    }

    /// <summary>
    /// When true, computations are collective: every rank passes its own rows and gets the result over all rows.
    /// The communicator is <see cref="Communicator"/> if set, else the current <see cref="Spmd"/> session's; with
    /// neither, computing throws (it would otherwise silently compute on each process's own rows).
    /// </summary>
    public bool Distributed { get; set; }

    /// <summary>An explicit communicator for distributed mode (for example a split of the world).</summary>
    public Communicator? Communicator { get; set; }

    /// <summary>The algorithm's name in messages.</summary>
    private protected abstract string Name { get; }

    /// <summary>Resolves where and how a computation runs, once, at the public entry point.</summary>
    internal ComputeContext ResolveContext() => ComputeContext.Resolve(Distributed, Communicator, Name);

    /// <summary>Reads this rank's file of <paramref name="path"/> collectively (CSV, or .npy by extension).</summary>
    private protected static Table<double> ReadPerRank(ComputeContext context, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return DataInput.ReadPerRank<double>(context.Communicator, path);
    }
}

/// <summary>
/// An unsupervised algorithm: batch computation on one rank's table, or — with <see cref="Algorithm.Distributed"/> —
/// a collective computation over every rank's rows whose result is the same on every rank.
/// </summary>
/// <typeparam name="TResult">The result type.</typeparam>
public abstract class Algorithm<TResult> : Algorithm
{
    private protected Algorithm()
    {
    }

    /// <summary>Computes the result over <paramref name="data"/> (this rank's rows when distributed).</summary>
    public TResult Compute(Table<double> data) => ComputeTable(data);

    /// <summary>Computes the result over <paramref name="data"/>; accumulation is in double.</summary>
    public TResult Compute(Table<float> data) => ComputeTable(data);

    /// <summary>
    /// Reads a data file — headerless numeric CSV, or <c>.npy</c> by its extension — and computes the result. When
    /// distributed, each rank passes its own file; a rank whose file is empty contributes no rows.
    /// </summary>
    public TResult Compute(string path)
    {
        var context = ResolveContext();
        return ComputeCore<double>(ReadPerRank(context, path), context);
    }

    /// <summary>The computation proper, on this rank's rows, collective over the context's communicator.</summary>
    internal virtual TResult ComputeCore<T>(IRowTable<T> data, ComputeContext context)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var dense = context.Communicator.Collectively(() => data as Table<T>
            ?? throw new DistalException(FailureKind.Usage, $"{Name} takes dense data only"));
        return ComputeDense(dense, context);
    }

    /// <summary>The computation of an algorithm that takes dense data only.</summary>
    internal virtual TResult ComputeDense<T>(Table<T> data, ComputeContext context)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => throw new NotSupportedException($"{Name} overrides neither ComputeCore nor ComputeDense");

    private TResult ComputeTable<T>(Table<T> data)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(data);
        return ComputeCore(data, ResolveContext());
    }
}
