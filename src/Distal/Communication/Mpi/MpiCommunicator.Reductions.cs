using System.Numerics;

namespace Distal.Communication.Mpi;

/// <summary>Reductions and the exclusive scan.</summary>
internal sealed unsafe partial class MpiCommunicator
{
    public override void Allreduce<T>(Span<T> values, ReduceOperation operation)
    {
        using var watch = Watch("MPI_Allreduce");

        // Bytes too: MPICH 4.0.2 compares MPI_UINT8_T as signed in MIN/MAX (pmodels/mpich#6083) and Open MPI 4.1's
        // AVX reduction saturates MPI_UINT8_T sums instead of wrapping (open-mpi/ompi#7419, #10648); both seen here.
        if (typeof(T) == typeof(double) || typeof(T) == typeof(float) || typeof(T) == typeof(byte))
        {
            RankOrderedAllreduce(values, operation);
        }
        else
        {
            NativeAllreduce(values, operation);
        }
    }

    /// <summary>
    /// MPI's own <c>MPI_Allreduce</c>, in place and chunked: for int and long. For floating point its order of
    /// combination is the library's choice, so only the overhead measurement calls it with doubles.
    /// </summary>
    internal void NativeAllreduce<T>(Span<T> values, ReduceOperation operation)
        where T : unmanaged, INumber<T>
    {
        nint type = _library.Handles.TypeOf<T>();
        nint op = _library.Handles.OperationOf(operation);
        fixed (T* p = values)
        {
            for (long offset = 0; offset < values.Length; offset += ChunkLimit)
            {
                Check(_library.Allreduce((void*)_library.Handles.InPlace, p + offset, ChunkAt(values.Length, offset), type, op, Comm), "MPI_Allreduce");
            }
        }
    }

    public override T ExclusiveScan<T>(T value)
    {
        using var watch = Watch("MPI_Exscan");
        if (typeof(T) == typeof(double) || typeof(T) == typeof(float))
        {
            // Summed in rank order from zero, exactly as the embedded engine does.
            T[] all = Allgather(value);
            T sum = T.Zero;
            for (int r = 0; r < Rank; r++)
            {
                sum += all[r];
            }

            return sum;
        }

        T result = T.Zero;
        Check(_library.Exscan(&value, &result, 1, _library.Handles.TypeOf<T>(), _library.Handles.Sum, Comm), "MPI_Exscan");

        // MPI leaves rank 0's result undefined.
        return Rank == 0 ? T.Zero : result;
    }

    /// <summary>
    /// A reduce-scatter / allgather allreduce whose arithmetic is fixed: each rank owns a slice of the buffer,
    /// receives every rank's copy of that slice (<c>MPI_Alltoallv</c>), folds them in rank order, and the folded
    /// slices are gathered back (<c>MPI_Allgatherv</c>). Memory O(n) per rank, each element crosses the network twice.
    /// </summary>
    private void RankOrderedAllreduce<T>(Span<T> values, ReduceOperation operation)
        where T : unmanaged, INumber<T>
    {
        int size = Size;
        nint type = _library.Handles.TypeOf<T>();
        var sendCounts = new int[size];
        var sendOffsets = new int[size];
        var receiveCounts = new int[size];
        var receiveOffsets = new int[size];

        // Every rank's contribution to one slice lands in one buffer, so a chunk holds at most ChunkLimit elements.
        long chunk = Math.Max(1, Math.Min(ChunkLimit, int.MaxValue - size));
        for (long start = 0; start < values.Length; start += chunk)
        {
            Span<T> part = values.Slice((int)start, (int)Math.Min(chunk, values.Length - start));
            for (int b = 0; b < size; b++)
            {
                sendOffsets[b] = SliceStart(part.Length, b, size);
                sendCounts[b] = SliceStart(part.Length, b + 1, size) - sendOffsets[b];
            }

            int mine = sendCounts[Rank];
            for (int s = 0; s < size; s++)
            {
                receiveCounts[s] = mine;
                receiveOffsets[s] = s * mine;
            }

            var gathered = new T[(long)mine * size];
            fixed (T* p = part)
            fixed (T* g = gathered)
            fixed (int* sc = sendCounts, so = sendOffsets, rc = receiveCounts, ro = receiveOffsets)
            {
                Check(_library.Alltoallv(p, sc, so, type, g, rc, ro, type, Comm), "MPI_Alltoallv");
            }

            Fold(gathered, mine, operation, part.Slice(sendOffsets[Rank], mine));

            fixed (T* p = part)
            fixed (int* sc = sendCounts, so = sendOffsets)
            {
                Check(_library.Allgatherv((void*)_library.Handles.InPlace, 0, type, p, sc, so, type, Comm), "MPI_Allgatherv");
            }
        }
    }

    /// <summary>Rank-order fold of <paramref name="gathered"/> (one block of <paramref name="length"/> per rank), the embedded engine's expression.</summary>
    private static void Fold<T>(T[] gathered, int length, ReduceOperation operation, Span<T> result)
        where T : unmanaged, INumber<T>
    {
        if (length == 0)
        {
            return;
        }

        gathered.AsSpan(0, length).CopyTo(result);
        for (int s = 1; s * length < gathered.Length; s++)
        {
            ReadOnlySpan<T> other = gathered.AsSpan(s * length, length);
            switch (operation)
            {
                case ReduceOperation.Sum:
                    for (int i = 0; i < length; i++)
                    {
                        result[i] += other[i];
                    }

                    break;
                case ReduceOperation.Min:
                    for (int i = 0; i < length; i++)
                    {
                        result[i] = T.Min(result[i], other[i]);
                    }

                    break;
                default:
                    for (int i = 0; i < length; i++)
                    {
                        result[i] = T.Max(result[i], other[i]);
                    }

                    break;
            }
        }
    }

    private static int SliceStart(int length, int slice, int slices) => (int)((long)length * slice / slices);
}
