using Distal.Communication;

namespace Distal.Algorithms;

/// <summary>
/// Moves a partial's <see cref="PartialBytes"/> between ranks one segment per message, so no message exceeds a
/// segment (1 GiB) and a partial of any size travels. The receiver learns the total from the first segment's header
/// and takes segments until it has them all; a small partial is one message, as before segmenting.
/// </summary>
internal static class PartialTransport
{
    /// <summary>
    /// Sends every segment to <paramref name="destination"/>, releasing each once sent (the bytes are spent after):
    /// the copy in flight replaces it, so sending does not hold the encoding twice.
    /// </summary>
    public static void Send(Communicator communicator, PartialBytes bytes, int destination, int tag)
    {
        for (int s = 0; s < bytes.SegmentCount; s++)
        {
            communicator.Send<byte>(bytes.Segment(s), destination, tag);
            bytes.Release(s);
        }
    }

    /// <summary>Receives what <see cref="Send"/> sent from <paramref name="source"/>.</summary>
    public static PartialBytes Receive(Communicator communicator, int source, int tag)
    {
        byte[] first = communicator.Receive<byte>(source, tag);
        long total = PartialBytes.TotalLength(first);
        var segments = new List<byte[]> { first };
        for (long received = first.Length; received < total;)
        {
            byte[] next = communicator.Receive<byte>(source, tag);
            if (next.Length == 0)
            {
                break;  // a corrupt header; FromSegments reports it
            }

            segments.Add(next);
            received += next.Length;
        }

        return PartialBytes.FromSegments(segments);
    }

    /// <summary>
    /// The bytes of rank <paramref name="root"/> (its <paramref name="bytes"/>, null elsewhere) on every rank. Root
    /// keeps its own segments; the others get theirs segment by segment.
    /// </summary>
    public static PartialBytes Broadcast(Communicator communicator, PartialBytes? bytes, int root)
    {
        bool isRoot = communicator.Rank == root;
        byte[] first = communicator.BroadcastVariable(isRoot ? bytes!.Segment(0) : null, root);
        long total = PartialBytes.TotalLength(first);
        var segments = new List<byte[]> { first };
        long received = first.Length;

        // Every rank runs the loop equally often: root by its segment count, the others by the header's total.
        for (int s = 1; isRoot ? s < bytes!.SegmentCount : received < total; s++)
        {
            byte[] segment = communicator.BroadcastVariable(isRoot ? bytes!.Segment(s) : null, root);
            segments.Add(segment);
            received += segment.Length;
        }

        return isRoot ? bytes! : PartialBytes.FromSegments(segments);
    }
}
