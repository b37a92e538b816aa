using Distal.Algorithms;
using Distal.Communication;
using Distal.Tests.Infrastructure;
using Lloyd = Distal.Algorithms.KMeans;

namespace Distal.Tests.Core;

/// <summary>
/// The segmented partial codec and transport: a partial's bytes cut into segments of any size (down to the 8-byte
/// header) decode to the same partial, whatever segments they arrive in; corrupt or short encodings are errors,
/// never a misread partial. The harness runs every partial type through tiny segments too
/// (<c>MergeHarnessTests.Partials_cut_into_tiny_segments_round_trip_and_merge_to_batch</c>).
/// </summary>
[Trait("Category", "Algorithm")]
public class PartialEncodingTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(64)]
    [InlineData(1 << 30)]
    public void A_partial_round_trips_in_segments_of_any_size(int segmentBytes)
    {
        var partial = CrossProducts(columns: 9, rows: 40, seed: 1);
        PartialBytes bytes;
        using (PartialBytes.ForceSegmentBytes(segmentBytes))
        {
            bytes = Partials.Encode(partial);
        }

        // Header, columns, flag, count, shift, offset, p² cross-products.
        long expected = 8 + (3 * 8) + (2 * 9 * 8) + (81 * 8);
        Assert.Equal(expected, bytes.Length);
        Assert.Equal((int)((expected + segmentBytes - 1) / segmentBytes), bytes.SegmentCount);
        var decoded = Partials.Decode<CrossProductPartial>(bytes);
        Assert.Equal(partial.Count, decoded.Count);
        Compare.Bitwise(partial.Shift, decoded.Shift, "shift");
        Compare.Bitwise(partial.Offset, decoded.Offset, "offset");
        Compare.Bitwise(partial.CrossProduct, decoded.CrossProduct, "cross-products");
        Assert.True(bytes.ContentEquals(Partials.Encode(decoded)), "one segmentation against another");
    }

    [Fact]
    public void A_releasing_decode_drops_every_segment()
    {
        using var tiny = PartialBytes.ForceSegmentBytes(16);
        var bytes = Partials.Encode(CrossProducts(4, 10, 2));
        Assert.True(bytes.SegmentCount > 10);
        _ = Partials.Decode<CrossProductPartial>(bytes, release: true);
        for (int s = 0; s < bytes.SegmentCount; s++)
        {
            int segment = s;
            Assert.Throws<InvalidOperationException>(() => bytes.Segment(segment));
        }
    }

    [Theory]
    [InlineData(2, 8)]
    [InlineData(5, 13)]
    [InlineData(8, 1 << 30)]
    public void The_reduction_tree_moves_segmented_partials_and_every_rank_gets_the_same_bits(int ranks, int segmentBytes)
    {
        var whole = CrossProducts(6, 0, 0);
        var parts = Enumerable.Range(0, ranks).Select(r => CrossProducts(6, 20 + r, 10 + r)).ToArray();
        foreach (var part in parts)
        {
            whole.Merge(Partials.Clone(part));
        }

        using var forced = PartialBytes.ForceSegmentBytes(segmentBytes);
        var merged = LocalWorld.Run(ranks, c => PartialReduction.Reduce(c, Partials.Clone(parts[c.Rank])));
        foreach (var m in merged)
        {
            Assert.Equal(whole.Count, m.Count);
            Compare.Bitwise(merged[0].CrossProduct, m.CrossProduct, "every rank");
            Compare.Relative(whole.CrossProduct, m.CrossProduct, 1e-13, floor: 1e-9, what: "tree vs sequential merge");
        }
    }

    [Fact]
    public void Segments_are_received_whatever_size_the_sender_cut()
    {
        // The sender cuts 13-byte segments; the receiver's own setting (1 GiB) does not matter: the header says how
        // much follows.
        var partial = CrossProducts(5, 30, 3);
        var received = LocalWorld.Run(2, c =>
        {
            if (c.Rank == 1)
            {
                using (PartialBytes.ForceSegmentBytes(13))
                {
                    PartialTransport.Send(c, Partials.Encode(partial), 0, 7);
                }

                return null;
            }

            return Partials.Decode<CrossProductPartial>(PartialTransport.Receive(c, 1, 7));
        });
        Compare.Bitwise(partial.CrossProduct, received[0]!.CrossProduct, "received");
    }

    [Fact]
    public void A_broadcast_of_segmented_bytes_reaches_every_rank()
    {
        var partial = CrossProducts(7, 25, 4);
        using var tiny = PartialBytes.ForceSegmentBytes(24);
        var all = LocalWorld.Run(4, c => Partials.Decode<CrossProductPartial>(PartialTransport.Broadcast(c, c.Rank == 2 ? Partials.Encode(partial) : null, 2)));
        Assert.All(all, p => Compare.Bitwise(partial.CrossProduct, p.CrossProduct, "broadcast"));
    }

    [Fact]
    public void Bytes_short_of_or_beyond_their_header_are_errors()
    {
        using var tiny = PartialBytes.ForceSegmentBytes(32);
        var bytes = Partials.Encode(CrossProducts(3, 5, 5));
        var segments = Enumerable.Range(0, bytes.SegmentCount).Select(bytes.Segment).ToList();
        var error = Assert.Throws<DistalException>(() => PartialBytes.FromSegments(segments[..^1]));
        Assert.Equal(FailureKind.Communication, error.Kind);
        Assert.Throws<DistalException>(() => PartialBytes.FromSegments([.. segments, new byte[3]]));

        // A decoder that reads the wrong type: MomentsPartial of these bytes reads past them or leaves some unread.
        Assert.Throws<InvalidDataException>(() => Partials.Decode<LloydPartial>(PartialBytes.FromSegments(segments)));
    }

    [Fact]
    public void K_means_over_ranks_with_tiny_segments_equals_batch()
    {
        var random = new Random(5);
        var table = Table<double>.Create(300, 3);
        for (int i = 0; i < table.Rows; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                table[i, j] = (i % 4 * 10) + random.NextDouble();
            }
        }

        var init = Table.FromArray(table.SliceRows(0, 4).Span.ToArray(), 4, 3);
        var batch = new Lloyd(4, 20).Compute(table, init);
        using var tiny = PartialBytes.ForceSegmentBytes(13);
        int[] counts = [100, 0, 120, 80];
        var results = Ranks.Run(4, s => new Lloyd(4, 20) { Distributed = true }.Compute(Ranks.Share(table, counts, s.Rank), init));
        Compare.MatrixNorm(batch.Centroids.Span, results[3].Centroids.Span, 1e-12);
        Assert.Equal(batch.Assignments, results.SelectMany(r => r.Assignments).ToArray());
    }

    private static CrossProductPartial CrossProducts(int columns, int rows, int seed)
    {
        var random = new Random(seed);
        var values = new double[rows * columns];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (i % columns) + random.NextDouble();
        }

        var partial = new CrossProductPartial(columns, assumeCentered: false);
        partial.Accumulate<double>(values);
        return partial;
    }
}
