using Distal.Communication;

namespace Distal.Algorithms;

/// <summary>
/// Reduces one partial per rank to the merged partial on every rank: a binomial tree towards rank 0
/// (⌈log₂ P⌉ rounds, one partial in flight per rank, so memory stays O(partial) per rank), then a broadcast.
/// The merge order is fixed by the ranks alone, and every rank decodes the same bytes, so the result is
/// bitwise identical on every rank. The input shapes are agreed (<see cref="ShapeAgreement"/>) before any partial is
/// created, and each round's local work (encode, decode, merge) is agreed too: ⌈log₂ P⌉ + 2 small allreduces.
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
        byte[]? outgoing = null;
        byte[]? incoming = null;
        bool sent = false;
        for (int step = 1; step < size; step *= 2)
        {
            // Encoding, decoding and merging are this rank's own work: each round agrees on them (one small
            // allreduce) before any message that depends on them moves, so a failure there (out of memory, a
            // defect) is the same error on every rank instead of a partner waiting for a message that never comes.
            bool sends = !sent && rank % (2 * step) == step;
            communicator.Collectively(() =>
            {
                if (incoming is not null)
                {
                    accumulated.Merge(TPartial.Decode(incoming));
                    incoming = null;
                }

                outgoing = sends ? Partials.Encode(accumulated) : null;
            });

            if (sends)
            {
                communicator.Send<byte>(outgoing, rank - step, Tag);
                outgoing = null;
                sent = true;
            }
            else if (!sent && rank % (2 * step) == 0 && rank + step < size)
            {
                incoming = communicator.Receive<byte>(rank + step, Tag);
            }
        }

        byte[]? root = communicator.Collectively(() =>
        {
            if (incoming is not null)
            {
                accumulated.Merge(TPartial.Decode(incoming));
            }

            return rank == 0 ? Partials.Encode(accumulated) : null;
        });
        byte[] merged = communicator.BroadcastVariable(root, 0);
        return communicator.Collectively(() => TPartial.Decode(merged));
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
