using System.Runtime.InteropServices;

namespace Distal.Communication.Mpi;

/// <summary>
/// Point-to-point messages of any length: the element count first, then the data in chunks. MPI keeps messages
/// between two ranks with the same tag in order, so the pieces cannot interleave with another message of that pair
/// and tag sent from the same thread.
/// </summary>
internal sealed unsafe partial class MpiCommunicator
{
    public override void Send<T>(ReadOnlySpan<T> values, int destination, int tag)
    {
        CheckRank(destination);
        long length = values.Length;
        Check(_library.Send(&length, 1, _library.Handles.Int64, destination, tag, Comm), "MPI_Send");
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(values);
        fixed (byte* p = bytes)
        {
            for (long offset = 0; offset < bytes.Length; offset += ChunkLimit)
            {
                Check(_library.Send(p + offset, ChunkAt(bytes.Length, offset), _library.Handles.Byte, destination, tag, Comm), "MPI_Send");
            }
        }
    }

    public override T[] Receive<T>(int source, int tag)
    {
        CheckRank(source);
        long length = 0;
        Check(_library.Recv(&length, 1, _library.Handles.Int64, source, tag, Comm, _library.Handles.StatusIgnore), "MPI_Recv");
        if (length < 0 || length > Array.MaxLength)
        {
            throw new DistalException(FailureKind.Communication, $"Receive from rank {source} (tag {tag}) got a corrupt length {length}.");
        }

        var values = new T[length];
        Span<byte> bytes = MemoryMarshal.AsBytes(values.AsSpan());
        fixed (byte* p = bytes)
        {
            for (long offset = 0; offset < bytes.Length; offset += ChunkLimit)
            {
                Check(_library.Recv(p + offset, ChunkAt(bytes.Length, offset), _library.Handles.Byte, source, tag, Comm, _library.Handles.StatusIgnore), "MPI_Recv");
            }
        }

        return values;
    }
}
