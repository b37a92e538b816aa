using System.Numerics;
using Distal.Communication;
using Distal.Data;

namespace Distal.Algorithms;

/// <summary>
/// What every Distal algorithm shares: batch computation on one rank's table, or — with <see cref="Distributed"/> —
/// a collective computation over every rank's rows whose result is the same on every rank.
/// </summary>
/// <typeparam name="TResult">The result type.</typeparam>
public abstract class Algorithm<TResult>
{
    private protected Algorithm()
    {
    }

    /// <summary>
    /// When true, <c>Compute</c> is collective: every rank passes its own rows and gets the result over all rows.
    /// The communicator is <see cref="Communicator"/> if set, else the current <see cref="Spmd"/> session's.
    /// </summary>
    public bool Distributed { get; set; }

    /// <summary>An explicit communicator for distributed mode (for example a split of the world).</summary>
    public Communicator? Communicator { get; set; }

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
        ArgumentNullException.ThrowIfNull(path);
        var communicator = ResolveCommunicator();
        var table = DataInput.ReadPerRank<double>(communicator, path);
        return ComputeCore(table, communicator);
    }

    // A fresh single-rank world per computation: its self-send mailbox must not be shared by batch computations
    // running at the same time on other threads.
    internal Communicator ResolveCommunicator()
        => (Distributed ? Communicator ?? Spmd.Ambient : null) ?? new SelfCommunicator();

    /// <summary>The computation proper, on this rank's rows, collective over <paramref name="communicator"/>.</summary>
    internal abstract TResult ComputeCore<T>(Table<T> data, Communicator communicator)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>;

    private TResult ComputeTable<T>(Table<T> data)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(data);
        return ComputeCore(data, ResolveCommunicator());
    }
}
