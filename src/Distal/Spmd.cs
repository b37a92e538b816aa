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
    /// How long a rank waits in one collective before the job fails (null: no limit, the default). It turns a silent
    /// peer — a rank stopped with SIGSTOP, stuck on a hung file system or in a loop — into an error: under MPI the rank
    /// that waited prints <c>distal: rank r: no answer from the other ranks after … s in MPI_…</c> and aborts the job
    /// (MPI_Abort); on embedded ranks every rank raises that <see cref="DistalException"/>. Process-wide; the
    /// environment variable <c>DISTAL_TIMEOUT</c> (seconds) gives the initial value. Choose it well above the
    /// longest time one rank may compute while the others wait for it.
    /// </summary>
    /// <exception cref="DistalException">Set to zero, a negative or an over-long span, or DISTAL_TIMEOUT is not a positive number of seconds (usage).</exception>
    public static TimeSpan? CollectiveTimeout
    {
        get => Communication.CollectiveTimeout.Current;
        set => Communication.CollectiveTimeout.Configure(value);
    }

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
    /// <remarks>
    /// Under MPI this also makes an exception that nobody catches end the whole job at once: the rank prints
    /// <c>distal: rank r: cause</c> on stderr and calls MPI_Abort, and the launcher stops every process with a non-zero
    /// exit code. Without it the rank would leave while its peers wait in their next collective for ever. Errors
    /// inside Distal's collective computations never need this: they are agreed, and every rank raises the same
    /// <see cref="DistalException"/>. For an error you catch yourself on one rank only, call <see cref="Abort"/>.
    /// </remarks>
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

    /// <summary>
    /// Ends the whole job because of <paramref name="error"/>, which the other ranks do not know about: under MPI,
    /// prints <c>distal: rank r: cause</c> on stderr and calls MPI_Abort (the launcher then stops every process, with
    /// <paramref name="exitCode"/> where it passes one on). On embedded ranks and in a world of one, where an
    /// exception already reaches every rank, it rethrows <paramref name="error"/> instead.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public void Abort(Exception error, int exitCode = 1)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (Communicator is Communication.Mpi.MpiCommunicator && Communication.Mpi.MpiRuntime.IsRunning)
        {
            FailFast.Terminate(Communication.Mpi.MpiRuntime.WorldRank, error, exitCode);
        }

        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
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
