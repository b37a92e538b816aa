using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Distal.Communication.Mpi;

namespace Distal.Communication;

/// <summary>
/// The last resort when an error cannot be agreed: one line on stderr, then the whole job ends. Under MPI a rank that
/// merely exits (or calls MPI_Finalize) leaves its peers waiting in their next collective for ever, so the rank calls
/// MPI_Abort, and the launcher (mpiexec, mpirun) stops every process with a non-zero exit code.
/// </summary>
internal static class FailFast
{
    private static readonly TimeSpan AbortGrace = TimeSpan.FromMilliseconds(500);
    private static int _handlerInstalled;
    private static int _terminating;

    /// <summary>
    /// Prints <c>distal: rank r: cause</c> and ends the job: MPI_Abort when this process is in an MPI world,
    /// otherwise <see cref="Environment.Exit"/>. Only the first caller prints; a second (the watchdog racing an
    /// unhandled exception) waits for the process to end.
    /// </summary>
    [DoesNotReturn]
    public static void Terminate(int rank, Exception error, int exitCode)
        => Terminate(rank, ErrorAgreement.Describe(error), exitCode);

    /// <inheritdoc cref="Terminate(int, Exception, int)"/>
    [DoesNotReturn]
    public static void Terminate(int rank, string cause, int exitCode)
    {
        if (Interlocked.Exchange(ref _terminating, 1) == 0)
        {
            try
            {
                Console.Error.WriteLine($"distal: rank {rank}: {OneLine(cause)}");
                Console.Error.Flush();
            }
            catch (IOException)
            {
                // A closed stderr must not keep the job from ending.
            }

            if (MpiRuntime.IsRunning)
            {
                // The line is in the launcher's pipe, but MPI_Abort makes the launcher kill the job and exit, and
                // under load (seen with MPICH's hydra at load 40) it can do so before it has forwarded the line. A
                // moment's grace on this path, which ends the job anyway, lets the one line the user needs arrive.
                Thread.Sleep(AbortGrace);
            }

            MpiRuntime.TryAbort(exitCode);
            Environment.Exit(exitCode);
        }

        Thread.Sleep(Timeout.Infinite);
        throw new UnreachableException();
    }

    /// <summary>
    /// Makes an exception nobody catches on an MPI rank end the job (print, MPI_Abort) instead of leaving the other
    /// ranks waiting. Installed once per process, when the MPI world is joined.
    /// </summary>
    public static void InstallUnhandledExceptionHandler(int worldRank)
    {
        if (Interlocked.Exchange(ref _handlerInstalled, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (MpiRuntime.IsRunning)
            {
                var error = e.ExceptionObject as Exception ?? new InvalidOperationException($"{e.ExceptionObject}");
                Terminate(worldRank, error, ExitCodeOf(error));
            }
        };
    }

    /// <summary>The exit code the CLI uses for <paramref name="error"/>: 2 for bad usage, 70 for a defect, else 1.</summary>
    public static int ExitCodeOf(Exception error) => error switch
    {
        DistalException { Kind: FailureKind.Usage } => 2,
        DistalException or IOException or UnauthorizedAccessException or OutOfMemoryException => 1,
        _ => 70,
    };

    /// <summary>Keeps a message on one line and short (it may quote a bad field of a binary file).</summary>
    private static string OneLine(string cause)
    {
        const int Limit = 1000;
        string flat = cause.ReplaceLineEndings(" ");
        return flat.Length <= Limit ? flat : string.Concat(flat.AsSpan(0, Limit), "…");
    }
}
