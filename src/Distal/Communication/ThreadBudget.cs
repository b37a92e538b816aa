namespace Distal.Communication;

/// <summary>
/// How many compute threads one rank may use, so that ranks × threads never oversubscribes the cores of a node:
/// the cores this process may run on (its affinity mask) shared among the ranks on the node.
/// <c>DISTAL_THREADS</c> overrides it.
/// </summary>
internal static class ThreadBudget
{
    public const string OverrideVariable = "DISTAL_THREADS";

    public static int For(Communicator communicator)
    {
        if (int.TryParse(Environment.GetEnvironmentVariable(OverrideVariable), out int forced) && forced > 0)
        {
            return forced;
        }

        // Environment.ProcessorCount honours the affinity mask and cgroup CPU limits on Linux.
        int cores = Environment.ProcessorCount;
        int ranksOnNode = Math.Max(1, communicator.RanksOnNode);
        return Math.Max(1, cores / ranksOnNode);
    }
}
