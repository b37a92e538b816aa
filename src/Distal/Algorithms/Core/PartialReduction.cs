using Distal.Communication;

namespace Distal.Algorithms;

/// <summary>
/// Reduces one partial per rank to the merged partial on every rank: a binomial tree towards rank 0
/// (⌈log₂ P⌉ rounds, one partial in flight per rank, so memory stays O(partial) per rank), then a broadcast.
/// The merge order is fixed by the ranks alone, and every rank decodes the same bytes, so the result is
/// bitwise identical on every rank. Merging validated partials cannot fail on one rank alone: the column counts
/// are agreed first.
/// </summary>
internal static class PartialReduction
{
    private const int Tag = 0x5EED;

    public static TPartial Reduce<TPartial>(Communicator communicator, TPartial local, PartialDecoder<TPartial> decode)
        where TPartial : PartialResult
    {
        if (communicator.Size == 1)
        {
            return local;
        }

        CheckColumnsAgree(communicator, local.Columns);

        int rank = communicator.Rank;
        int size = communicator.Size;
        TPartial accumulated = local;
        for (int step = 1; step < size; step *= 2)
        {
            if (rank % (2 * step) == step)
            {
                communicator.Send<byte>(Encode(accumulated), rank - step, Tag);
                break;
            }

            if (rank + step < size)
            {
                accumulated.Merge(decode(communicator.Receive<byte>(rank + step, Tag)));
            }
        }

        byte[] merged = communicator.BroadcastVariable(rank == 0 ? Encode(accumulated) : null, 0);
        return decode(merged);
    }

    private static byte[] Encode(PartialResult partial)
    {
        var writer = new PartialWriter();
        partial.WriteTo(writer);
        return writer.ToArray();
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

/// <summary>Rebuilds a partial result from the bytes its <see cref="PartialResult.WriteTo"/> wrote.</summary>
internal delegate TPartial PartialDecoder<out TPartial>(ReadOnlySpan<byte> bytes)
    where TPartial : PartialResult;
