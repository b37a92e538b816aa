using Distal.Communication;

namespace Distal.Algorithms;

/// <summary>
/// Reduces one partial per rank to the merged partial on every rank: a binomial tree towards rank 0
/// (⌈log₂ P⌉ rounds, one partial in flight per rank, so memory stays O(partial) per rank), then a broadcast.
/// The merge order is fixed by the ranks alone, and every rank decodes the same bytes, so the result is
/// bitwise identical on every rank. Merging partials cannot fail on one rank alone: the input shapes are agreed
/// (<see cref="ShapeAgreement"/>) before any partial is created.
/// </summary>
internal static class PartialReduction
{
    private const int Tag = 0x5EED;

    public static TPartial Reduce<TPartial>(Communicator communicator, TPartial local)
        where TPartial : class, IPartial<TPartial>
    {
        if (communicator.Size == 1)
        {
            return local;
        }

        int rank = communicator.Rank;
        int size = communicator.Size;
        TPartial accumulated = local;
        for (int step = 1; step < size; step *= 2)
        {
            if (rank % (2 * step) == step)
            {
                communicator.Send<byte>(Partials.Encode(accumulated), rank - step, Tag);
                break;
            }

            if (rank + step < size)
            {
                accumulated.Merge(TPartial.Decode(communicator.Receive<byte>(rank + step, Tag)));
            }
        }

        byte[] merged = communicator.BroadcastVariable(rank == 0 ? Partials.Encode(accumulated) : null, 0);
        return TPartial.Decode(merged);
    }

    /// <summary>Checks collectively that every rank's partial has the same number of columns.</summary>
    public static void CheckColumnsAgree(Communicator communicator, int columns)
    {
        int[] all = communicator.Allgather(columns);
        for (int r = 1; r < all.Length; r++)
        {
            if (all[r] != all[0])
            {
                throw new DistalException(FailureKind.Input, r, $"has {all[r]} columns; rank 0 has {all[0]}");
            }
        }
    }
}
