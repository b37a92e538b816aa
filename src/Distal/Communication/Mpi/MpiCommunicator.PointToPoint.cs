namespace Distal.Communication.Mpi;

/// <summary>
/// Point-to-point messages of any length: the element count first, then the data in chunks. MPI keeps messages
/// between two ranks with the same tag in order, so the pieces cannot interleave with another message of that pair
/// and tag sent from the same thread. A message to oneself never enters MPI: a blocking MPI_Send to oneself may
/// wait forever for the matching receive (it does with MPICH), while Distal's send, like the embedded engine's,
/// must not depend on the receiver being ready.
/// </summary>
internal sealed unsafe partial class MpiCommunicator
{
    private readonly Dictionary<int, Queue<Array>> _toSelf = [];

    public override void Send<T>(ReadOnlySpan<T> values, int destination, int tag)
    {
        CheckRank(destination);
        if (destination == Rank)
        {
            lock (_toSelf)
            {
                if (!_toSelf.TryGetValue(tag, out var queue))
                {
                    _toSelf[tag] = queue = new Queue<Array>();
                }

                queue.Enqueue(values.ToArray());
            }

            return;
        }

        using var watch = Watch("MPI_Send");
        long length = values.Length;
        Check(_library.Send(&length, 1, _library.Handles.Int64, destination, tag, Comm), "MPI_Send");
        long total = length * sizeof(T);
        fixed (T* start = values)
        {
            byte* p = (byte*)start;
            for (long offset = 0; offset < total; offset += ChunkLimit)
            {
                Check(_library.Send(p + offset, ChunkAt(total, offset), _library.Handles.Byte, destination, tag, Comm), "MPI_Send");
            }
        }
    }

    public override T[] Receive<T>(int source, int tag)
    {
        CheckRank(source);
        if (source == Rank)
        {
            lock (_toSelf)
            {
                if (_toSelf.TryGetValue(tag, out var queue) && queue.Count > 0)
                {
                    return (T[])queue.Dequeue();
                }
            }

            throw new DistalException(FailureKind.Communication, $"Receive from this rank itself (tag {tag}) has no matching send (it would wait forever).");
        }

        using var watch = Watch("MPI_Recv");
        long length = 0;
        Check(_library.Recv(&length, 1, _library.Handles.Int64, source, tag, Comm, _library.Handles.StatusIgnore), "MPI_Recv");
        if (length < 0 || length > Array.MaxLength)
        {
            throw new DistalException(FailureKind.Communication, $"Receive from rank {source} (tag {tag}) got a corrupt length {length}.");
        }

        var values = new T[length];
        long total = length * sizeof(T);
        fixed (T* start = values)
        {
            byte* p = (byte*)start;
            for (long offset = 0; offset < total; offset += ChunkLimit)
            {
                Check(_library.Recv(p + offset, ChunkAt(total, offset), _library.Handles.Byte, source, tag, Comm, _library.Handles.StatusIgnore), "MPI_Recv");
            }
        }

        return values;
    }
}
