using Distal.Communication;

namespace Distal.Algorithms;

/// <summary>
/// Reduces one partial per rank to the merged partial on every rank: a binomial tree towards rank 0
/// (⌈log₂ P⌉ rounds, one partial in flight per rank, so memory stays O(partial) per rank), then a broadcast.
/// Partials travel as segmented bytes (<see cref="PartialTransport"/>), so they may be of any size; segments are
/// released as they are sent or decoded, so a rank holds at most two partials' worth plus one segment at a time.
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
        TPartial? accumulated = local;
        PartialBytes? outgoing = null;
        PartialBytes? incoming = null;
        bool sent = false;
        for (int step = 1; step < size; step *= 2)
        {
            // Encoding, decoding and merging are this rank's own work: each round agrees on them (one small
            // allreduce) before any message that depends on them moves, so a failure there (out of memory, a
            // defect) is the same error on every rank instead of a partner waiting for a message that never comes.
            bool sends = !sent && rank % (2 * step) == step;
            communicator.Collectively(() =>
            {
                MergeIncoming(accumulated!, ref incoming);
                outgoing = sends ? Partials.Encode(accumulated!) : null;
            });

            if (sends)
            {
                // This rank's part is done once sent: drop it, so that it is not held through the broadcast.
                accumulated = null;
                PartialTransport.Send(communicator, outgoing!, rank - step, Tag);
                outgoing = null;
                sent = true;
            }
            else if (!sent && rank % (2 * step) == 0 && rank + step < size)
            {
                incoming = PartialTransport.Receive(communicator, rank + step, Tag);
            }
        }

        PartialBytes? root = communicator.Collectively(() =>
        {
            if (rank != 0)
            {
                return null;
            }

            MergeIncoming(accumulated!, ref incoming);
            return Partials.Encode(accumulated!);
        });

        // Root decodes the broadcast bytes like every other rank (so all hold the same partial); it drops its
        // own first, so at most the encoding and one partial coexist.
        accumulated = null;
        var merged = PartialTransport.Broadcast(communicator, root, 0);
        root = null;
        return communicator.Collectively(() => Partials.Decode<TPartial>(merged, release: true));
    }

    /// <summary>Decodes and merges the partial received this round, if any (its bytes are released as read).</summary>
    private static void MergeIncoming<TPartial>(TPartial accumulated, ref PartialBytes? incoming)
        where TPartial : class, IPartial<TPartial>
    {
        if (incoming is not null)
        {
            var bytes = incoming;
            incoming = null;
            accumulated.Merge(Partials.Decode<TPartial>(bytes, release: true));
        }
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
