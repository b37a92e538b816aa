using Distal.Communication.Mpi;

namespace Distal.Communication;

/// <summary>
/// Chooses the world a process joins at <see cref="Spmd.Init"/>: the MPI world when an MPI launcher started the
/// process (or <c>DISTAL_MPI</c> / <c>DISTAL_MPI_LIBRARY</c> ask for MPI), otherwise a world of one rank.
/// </summary>
internal static class WorldFactory
{
    public static Communicator CreateWorld()
    {
        LauncherConsole.SuppressTerminalCodes();
        var environment = LauncherEnvironment.Detect();
        if (!environment.UseMpi)
        {
            return new SelfCommunicator();
        }

        var world = MpiRuntime.JoinWorld(environment);
        CoreBindingNotice.WriteIfBound(world, Console.Error);
        return world;
    }
}
