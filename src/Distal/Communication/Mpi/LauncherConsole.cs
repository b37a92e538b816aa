namespace Distal.Communication.Mpi;

/// <summary>
/// Open MPI connects every rank's stdout to a pseudo-terminal (open-mpi/ompi#7868), so .NET's console believes it
/// writes to a terminal and starts its output with terminal control codes (<c>ESC[?1h ESC=</c>) — which then land
/// in the user's redirected output or JSON. Forgetting <c>TERM</c> before the console is first used prevents it.
/// </summary>
internal static class LauncherConsole
{
    /// <summary>
    /// Under Open MPI's launcher, removes <c>TERM</c> from this process's environment. Call it before anything
    /// writes to the console (the CLI does so first thing; <see cref="WorldFactory"/> does it for library users).
    /// </summary>
    public static void SuppressTerminalCodes()
    {
        if (Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is not null && Environment.GetEnvironmentVariable("TERM") is not null)
        {
            Environment.SetEnvironmentVariable("TERM", null);
        }
    }
}
