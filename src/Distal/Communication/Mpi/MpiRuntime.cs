namespace Distal.Communication.Mpi;

/// <summary>
/// The process-wide MPI life cycle: load the library, initialize MPI (only if nobody did), hand out world
/// communicators, and finalize when the last of them is disposed — only if Distal initialized MPI.
/// </summary>
internal static unsafe class MpiRuntime
{
    private const int ThreadMultiple = 3; // MPI_THREAD_MULTIPLE in both mpi.h files.

    private static readonly Lock Gate = new();
    private static MpiLibrary? _library;
    private static bool _initializedByDistal;
    private static int _openWorlds;

    /// <summary>Joins the MPI world described by <paramref name="environment"/>.</summary>
    /// <exception cref="DistalException">No usable library, MPI failed to start, or the launcher and library disagree.</exception>
    public static MpiCommunicator JoinWorld(LauncherEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!OperatingSystem.IsLinux())
        {
            throw new DistalException(FailureKind.Communication, $"MPI is supported on Linux only ({environment.Evidence}); set {LauncherEnvironment.FlavourVariable}=none to run as a single rank.");
        }

        lock (Gate)
        {
            MpiLibrary library;
            try
            {
                library = _library ??= LoadAndInitialize(environment);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                throw new DistalException(FailureKind.Communication, $"MPI needs the GNU C library (libc.so.6) to load the MPI library: {e.Message}", e);
            }

            if (environment.Flavour is { } wanted && wanted != library.Flavour)
            {
                throw new DistalException(FailureKind.Communication, $"This process already uses {MpiLibrary.Describe(library.Flavour)} ({library.Name}); it cannot switch to {MpiLibrary.Describe(wanted)}.");
            }

            int finalized = 0;
            library.Check(library.Finalized(&finalized), "MPI_Finalized");
            if (finalized != 0)
            {
                throw new DistalException(FailureKind.Usage, "MPI was already finalized in this process; join the MPI world once (one Spmd.Init per program) and dispose it at the end.");
            }

            var world = MpiCommunicator.DuplicateWorld(library);
            _openWorlds++;
            if (environment.AnnouncedSize > 1 && world.Size != environment.AnnouncedSize)
            {
                string mismatch =
                    $"The launcher announced {environment.AnnouncedSize} ranks ({environment.Evidence}) but {library.Name} " +
                    $"({library.Version()}) sees a world of {world.Size}: the launcher and the MPI library do not match. " +
                    $"Start the program with the launcher of the same MPI (mpiexec.mpich for MPICH, mpirun.openmpi for Open MPI), " +
                    $"or choose the library with {LauncherEnvironment.FlavourVariable}=mpich|openmpi or {LauncherEnvironment.LibraryVariable}=/path/to/libmpi.so.";
                world.Dispose();
                throw new DistalException(FailureKind.Communication, mismatch);
            }

            WorldRank = world.Rank;
            FailFast.InstallUnhandledExceptionHandler(world.Rank);
            return world;
        }
    }

    /// <summary>This process's rank in MPI_COMM_WORLD (for the one-line messages of a job that is ended).</summary>
    public static int WorldRank { get; private set; }

    /// <summary>True while this process is in an initialized, not yet finalized MPI world.</summary>
    public static bool IsRunning
    {
        get
        {
            var library = Volatile.Read(ref _library);
            int initialized = 0;
            int finalized = 0;
            return library is not null
                && library.Initialized(&initialized) == 0 && initialized != 0
                && library.Finalized(&finalized) == 0 && finalized == 0;
        }
    }

    /// <summary>
    /// Ends every process of the job with <paramref name="exitCode"/> (<c>MPI_Abort</c> on <c>MPI_COMM_WORLD</c>) when
    /// this process is in a running MPI world; returns false when it is not. Takes no lock: the thread that holds it
    /// may be the one that is stuck.
    /// </summary>
    public static bool TryAbort(int exitCode)
    {
        if (!IsRunning)
        {
            return false;
        }

        var library = Volatile.Read(ref _library)!;
        _ = library.Abort(library.Handles.CommWorld, exitCode);
        return true;
    }

    /// <summary>Called by a world communicator's dispose: finalizes MPI after the last world, if Distal started it.</summary>
    public static void ReleaseWorld(MpiLibrary library)
    {
        lock (Gate)
        {
            if (--_openWorlds > 0 || !_initializedByDistal)
            {
                return;
            }

            int finalized = 0;
            library.Check(library.Finalized(&finalized), "MPI_Finalized");
            if (finalized == 0)
            {
                // MPI_Finalize can hang: MPICH 4.0.2 over UCX 1.13's TCP transport (UCX_TLS=tcp) left 4 ranks on 2 cores
                // in it for ever, one busy in uct_tcp_iface_progress, about one run in two. Every rank has its results
                // by then, so past the grace the process ends itself with the exit code it would have had.
                using var watchdog = new Timer(_ => FinalizeHangs(), null, FinalizeGrace, Timeout.InfiniteTimeSpan);
                library.Check(library.FinalizeMpi(), "MPI_Finalize");
            }
        }
    }

    /// <summary>How long MPI_Finalize may take before the process ends without it (it normally takes milliseconds).</summary>
    internal static readonly TimeSpan FinalizeGrace = TimeSpan.FromSeconds(10);

    private static void FinalizeHangs()
    {
        try
        {
            Console.Error.WriteLine($"distal: rank {WorldRank}: MPI_Finalize has not returned after {FinalizeGrace.TotalSeconds:0} s, a defect of the MPI library (seen with MPICH over UCX_TLS=tcp); the results are complete, ending this rank");
            Console.Error.Flush();
        }
        catch (IOException)
        {
            // A closed stderr must not keep the process alive.
        }

        NativeProcess.ExitNow(Environment.ExitCode);
    }

    private static MpiLibrary LoadAndInitialize(LauncherEnvironment environment)
    {
        // UCX (used by MPICH's ch4:ucx and by Open MPI's ucx pml) installs a SIGSEGV handler during MPI_Init that
        // turns .NET's NullReferenceException (a SIGSEGV the runtime translates) into a crash. Respect a user's value.
        NativeProcess.SetDefault("UCX_HANDLE_ERRORS", "none");

        var library = MpiLibrary.Load(environment.Flavour, environment.LibraryPath);
        int initialized = 0;
        library.Check(library.Initialized(&initialized), "MPI_Initialized");
        if (initialized == 0)
        {
            // MULTIPLE is asked for because .NET may resume a rank's work on another thread; a library that grants
            // less still works as long as one thread at a time calls it, which is how a rank uses its communicator.
            int provided = 0;
            library.Check(library.InitThread(null, null, ThreadMultiple, &provided), "MPI_Init_thread");
            _initializedByDistal = true;
        }

        return library;
    }
}
