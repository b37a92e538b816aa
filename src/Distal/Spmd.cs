using Distal.Communication;

namespace Distal;

/// <summary>
/// An SPMD session (daal4py's <c>daalinit</c>/<c>daalfini</c>): every process, or every embedded rank, runs the
/// same program on its own share of the data, and the result of every collective computation is available on
/// every rank. Algorithms with <c>Distributed = true</c> use the session's communicator.
/// </summary>
/// <example>
/// <code>
/// using var spmd = Spmd.Init();   // the MPI world under mpiexec, else a world of one
/// var result = new Covariance { Distributed = true }.Compute($"part{spmd.Rank}.csv");
/// </code>
/// </example>
public sealed class Spmd : IDisposable
{
    private static readonly AsyncLocal<Spmd?> CurrentSession = new();
    private readonly Spmd? _previous;
    private readonly bool _ownsCommunicator;
    private bool _disposed;

    private Spmd(Communicator communicator, bool ownsCommunicator)
    {
        Communicator = communicator;
        _ownsCommunicator = ownsCommunicator;
        _previous = CurrentSession.Value;
        CurrentSession.Value = this;
    }

    /// <summary>This rank (daal4py's <c>my_procid()</c>).</summary>
    public int Rank => Communicator.Rank;

    /// <summary>Number of ranks (daal4py's <c>num_procs()</c>).</summary>
    public int Size => Communicator.Size;

    /// <summary>The communicator of the session's world.</summary>
    public Communicator Communicator { get; }

    /// <summary>
    /// The innermost session open on this thread or task (each embedded rank of <see cref="RunLocal{TResult}(int, Func{Spmd, TResult})"/>
    /// has its own), or null outside any session.
    /// </summary>
    public static Spmd? Current => CurrentSession.Value is { _disposed: false } s ? s : null;

    /// <summary>The communicator of the innermost session on this thread or task, if any.</summary>
    internal static Communicator? Ambient => Current?.Communicator;

    /// <summary>
    /// Joins the world: the MPI world when the process was started by an MPI launcher, otherwise a world of one rank.
    /// Dispose the session at the end of the program (it finalizes MPI when Distal initialized it).
    /// </summary>
    public static Spmd Init() => new(WorldFactory.CreateWorld(), ownsCommunicator: true);

    /// <summary>Starts a session over an existing communicator (for example a split of the world). The caller keeps ownership.</summary>
    public static Spmd Attach(Communicator communicator)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        return new Spmd(communicator, ownsCommunicator: false);
    }

    /// <summary>
    /// Runs <paramref name="body"/> on <paramref name="ranks"/> embedded ranks (threads of this process), each in its
    /// own session, and returns every rank's result in rank order. If any rank fails, every rank stops and this throws
    /// a <see cref="DistalException"/> naming the first rank that failed.
    /// </summary>
    public static TResult[] RunLocal<TResult>(int ranks, Func<Spmd, TResult> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ranks);
        return LocalWorld.Run(ranks, communicator =>
        {
            using var session = new Spmd(communicator, ownsCommunicator: true);
            return body(session);
        });
    }

    /// <summary>Runs <paramref name="body"/> on <paramref name="ranks"/> embedded ranks; see <see cref="RunLocal{TResult}(int, Func{Spmd, TResult})"/>.</summary>
    public static void RunLocal(int ranks, Action<Spmd> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        RunLocal(ranks, s =>
        {
            body(s);
            return true;
        });
    }

    /// <summary>Ends the session (daal4py's <c>daalfini</c>).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (CurrentSession.Value == this)
        {
            CurrentSession.Value = _previous;
        }

        if (_ownsCommunicator)
        {
            Communicator.Dispose();
        }
    }
}
