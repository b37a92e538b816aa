using Distal.Algorithms;

namespace Distal.Tests.Harness;

/// <summary>
/// The shared harness: for every mergeable algorithm in <see cref="MergeCases.All"/>, any split over 1–8 ranks (uneven,
/// with empty ranks) equals batch and is bitwise identical on every rank; a partial round-trips through its bytes
/// exactly, also when cut into tiny segments; streaming in random chunk sizes equals batch; and the threaded accumulation equals the single-threaded one.
/// </summary>
[Trait("Category", "Algorithm")]
public class MergeHarnessTests
{
    public static TheoryData<string> Cases => new(MergeCases.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Any_split_over_1_to_8_ranks_equals_batch(string name)
    {
        var random = new Random(HashOf(name));
        for (int ranks = 1; ranks <= 8; ranks++)
        {
            MergeCases.Named(name).AnySplitEqualsBatch(ranks, random);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Partial_encoding_round_trips_exactly(string name) => MergeCases.Named(name).EncodingRoundTrips(new Random(HashOf(name) + 1));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Partials_cut_into_tiny_segments_round_trip_and_merge_to_batch(string name)
    {
        // 13-byte segments: every partial spans many, and most of its 8-byte values straddle two of them, so the
        // segmented codec and transport (what a partial over 1 GiB takes) run on every partial type in every run.
        using var tiny = PartialBytes.ForceSegmentBytes(13);
        var random = new Random(HashOf(name) + 4);
        MergeCases.Named(name).EncodingRoundTrips(random);
        MergeCases.Named(name).AnySplitEqualsBatch(5, random);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Streaming_in_random_chunks_equals_batch(string name) => MergeCases.Named(name).StreamingEqualsBatch(new Random(HashOf(name) + 2));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Threaded_accumulation_equals_single_threaded(string name) => MergeCases.Named(name).ThreadedEqualsSingleThreaded(new Random(HashOf(name) + 3));

    // A fixed seed per case (string.GetHashCode is randomized per process).
    private static int HashOf(string name) => name.Aggregate(17, (h, c) => unchecked((h * 31) + c));
}
