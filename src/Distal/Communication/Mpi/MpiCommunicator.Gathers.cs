namespace Distal.Communication.Mpi;

/// <summary>
/// Variable-length gathers. Data travel as bytes; counts are gathered first so every rank can plan the chunks.
/// Byte offsets are longs over raw pointers: a span of bytes (MemoryMarshal.AsBytes) cannot describe 2 GiB or more.
/// </summary>
internal sealed unsafe partial class MpiCommunicator
{
    /// <summary>The most bytes one round of a chunked gather stages (all ranks' pieces together).</summary>
    private const int StagingLimit = 1 << 29;

    public override T[] AllgatherV<T>(ReadOnlySpan<T> values, out int[] counts)
    {
        using var watch = Watch("MPI_Allgatherv");
        counts = GatherCounts(values.Length);
        var all = new T[Sum(counts)];
        fixed (T* mine = values)
        fixed (T* result = all)
        {
            Exchange((byte*)mine, counts, sizeof(T), (byte*)result, root: -1);
        }

        return all;
    }

    public override T[] GatherV<T>(ReadOnlySpan<T> values, int root, out int[] counts)
    {
        CheckRank(root);
        using var watch = Watch("MPI_Gatherv");
        int[] allCounts = GatherCounts(values.Length);
        T[] all = Rank == root ? new T[Sum(allCounts)] : [];
        fixed (T* mine = values)
        fixed (T* result = all)
        {
            Exchange((byte*)mine, allCounts, sizeof(T), (byte*)result, root);
        }

        counts = Rank == root ? allCounts : [];
        return all;
    }

    private int[] GatherCounts(int count)
    {
        var counts = new int[Size];
        fixed (int* c = counts)
        {
            Check(_library.Allgather(&count, 1, _library.Handles.Int32, c, 1, _library.Handles.Int32, Comm), "MPI_Allgather");
        }

        return counts;
    }

    /// <summary>
    /// Moves every rank's <paramref name="mine"/> into <paramref name="all"/> (rank order) on every rank
    /// (<paramref name="root"/> = −1) or on <paramref name="root"/> only. When the whole result exceeds
    /// <see cref="ChunkLimit"/> bytes it goes in rounds, each rank sending at most ChunkLimit / Size bytes per round
    /// (and at most <see cref="StagingLimit"/> / Size, to bound the staging buffer).
    /// </summary>
    private void Exchange(byte* mine, int[] elementCounts, int elementSize, byte* all, int root)
    {
        int size = Size;
        var bytes = new long[size];
        var offsets = new long[size];
        long total = 0;
        for (int r = 0; r < size; r++)
        {
            bytes[r] = (long)elementCounts[r] * elementSize;
            offsets[r] = total;
            total += bytes[r];
        }

        var counts = new int[size];
        var displacements = new int[size];
        if (total <= ChunkLimit)
        {
            for (int r = 0; r < size; r++)
            {
                counts[r] = (int)bytes[r];
                displacements[r] = (int)offsets[r];
            }

            Collect(mine, counts, displacements, all, root);
            return;
        }

        long perRound = Math.Max(1, Math.Min(ChunkLimit, StagingLimit) / size);
        var staging = new byte[perRound * size];
        fixed (byte* stage = staging)
        {
            for (long sent = 0; ; sent += perRound)
            {
                int position = 0;
                for (int r = 0; r < size; r++)
                {
                    counts[r] = (int)Math.Clamp(bytes[r] - sent, 0, perRound);
                    displacements[r] = position;
                    position += counts[r];
                }

                if (position == 0)
                {
                    return;
                }

                Collect(mine + sent, counts, displacements, stage, root);
                if (root < 0 || Rank == root)
                {
                    for (int r = 0; r < size; r++)
                    {
                        if (counts[r] > 0)
                        {
                            Buffer.MemoryCopy(stage + displacements[r], all + offsets[r] + sent, counts[r], counts[r]);
                        }
                    }
                }
            }
        }
    }

    /// <summary>One MPI_Allgatherv / MPI_Gatherv of at most ChunkLimit bytes; this rank sends counts[Rank] bytes from <paramref name="mine"/>.</summary>
    private void Collect(byte* mine, int[] counts, int[] displacements, byte* all, int root)
    {
        // Nothing to send: pass a null buffer. A pointer computed past an empty buffer (null + offset) can equal a
        // library's MPI_IN_PLACE — it is (void*)1 in Open MPI — and MPI then rejects or misreads the call.
        if (counts[Rank] == 0)
        {
            mine = null;
        }

        nint bytes = _library.Handles.Byte;
        fixed (int* c = counts, d = displacements)
        {
            if (root < 0)
            {
                Check(_library.Allgatherv(mine, counts[Rank], bytes, all, c, d, bytes, Comm), "MPI_Allgatherv");
            }
            else
            {
                Check(_library.Gatherv(mine, counts[Rank], bytes, all, c, d, bytes, root, Comm), "MPI_Gatherv");
            }
        }
    }

    private static long Sum(int[] counts)
    {
        long sum = 0;
        foreach (int c in counts)
        {
            sum += c;
        }

        return sum;
    }
}
