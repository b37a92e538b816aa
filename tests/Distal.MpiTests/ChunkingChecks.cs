using Distal.Communication;
using Distal.Communication.Mpi;

namespace Distal.MpiTests;

/// <summary>
/// The collectives again with the per-call limit lowered from int.MaxValue to a few elements, so every chunked path
/// (reductions, broadcasts, gathers in rounds, messages in pieces) runs with the same expected results.
/// </summary>
internal static class ChunkingChecks
{
    public static void Run(Communicator world, CheckLog log)
    {
        if (world is not MpiCommunicator mpi)
        {
            log.Check(false, "chunking: the world is not MPI");
            return;
        }

        // Small lengths: with the limit this low a gather takes dozens of rounds, and each round is a collective that,
        // with more ranks than cores (the CI machine), waits for the scheduler.
        foreach ((int limit, int[] lengths) in (ReadOnlySpan<(int, int[])>)[(1, [0, 1]), (8, [0, 1, 3]), (100, [0, 5, 60])])
        {
            mpi.ChunkLimit = limit;
            try
            {
                CommunicatorChecks.Collectives(mpi, log, $"chunk limit {limit}", lengths);
                using var group = mpi.Split(0, world.Size - world.Rank);
                log.Check(((MpiCommunicator)group).ChunkLimit == limit, $"chunk limit {limit}: a split inherits it");
                CommunicatorChecks.Collectives(group, log, $"chunk limit {limit}, reversed split", lengths: [3]);
            }
            finally
            {
                mpi.ChunkLimit = int.MaxValue;
            }
        }
    }
}
