namespace Distal.Communication;

/// <summary>Chooses the world a process joins at <see cref="Spmd.Init"/>.</summary>
internal static class WorldFactory
{
    public static Communicator CreateWorld() => new SelfCommunicator();
}
