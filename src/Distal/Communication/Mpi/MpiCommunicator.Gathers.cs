using System.Runtime.InteropServices;

namespace Distal.Communication.Mpi;

/// <summary>Variable-length gathers. Data travel as bytes; counts are gathered first so every rank can plan the chunks.</summary>
internal sealed unsafe partial class MpiCommunicator
{
    public override T[] AllgatherV<T>(ReadOnlySpan<T> values, out int[] counts)
    {
        counts = GatherCounts(values.Length);
        var all = new T[Sum(counts)];
        Exchange(MemoryMarshal.AsBytes(values), counts, sizeof(T), MemoryMarshal.AsBytes(all.AsSpan()), root: -1);
        return all;
    }

    public override T[] GatherV<T>(ReadOnlySpan<T> values, int root, out int[] counts)
    {
        CheckRank(root);
        int[] allCounts = GatherCounts(values.Length);
        T[] all = Rank == root ? new T[Sum(allCounts)] : [];
        Exchange(MemoryMarshal.AsBytes(values), allCounts, sizeof(T), MemoryMarshal.AsBytes(all.AsSpan()), root);
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
    /// <see cref="ChunkLimit"/> bytes it goes in rounds, each rank sending at most ChunkLimit / Size bytes per round.
    /// </summary>
    private void Exchange(ReadOnlySpan<byte> mine, int[] elementCounts, int elementSize, Span<byte> all, int root)
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

        long perRound = Math.Max(1, ChunkLimit / size);
        var staging = new byte[perRound * size];
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

            int myCount = counts[Rank];
            Collect(myCount == 0 ? default : mine.Slice((int)sent, myCount), counts, displacements, staging, root);
            if (root < 0 || Rank == root)
            {
                for (int r = 0; r < size; r++)
                {
                    if (counts[r] > 0)
                    {
                        staging.AsSpan(displacements[r], counts[r]).CopyTo(all.Slice((int)(offsets[r] + sent), counts[r]));
                    }
                }
            }
        }
    }

    private void Collect(ReadOnlySpan<byte> mine, int[] counts, int[] displacements, Span<byte> all, int root)
    {
        nint bytes = _library.Handles.Byte;
        fixed (byte* m = mine)
        fixed (byte* a = all)
        fixed (int* c = counts, d = displacements)
        {
            if (root < 0)
            {
                Check(_library.Allgatherv(m, mine.Length, bytes, a, c, d, bytes, Comm), "MPI_Allgatherv");
            }
            else
            {
                Check(_library.Gatherv(m, mine.Length, bytes, a, c, d, bytes, root, Comm), "MPI_Gatherv");
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
