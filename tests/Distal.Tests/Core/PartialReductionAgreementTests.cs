using Distal.Algorithms;
using Distal.Communication;

namespace Distal.Tests.Core;

/// <summary>
/// The partial-reduction tree agrees on each round's local work: a merge, decode or encode that fails on one rank is
/// the same error on every rank, never a partner waiting for a message.
/// </summary>
[Trait("Category", "Algorithm")]
public class PartialReductionAgreementTests
{
    /// <summary>A sum of longs whose merge, decode or encode can be made to fail on one rank.</summary>
    private sealed class Counting(long value, int rank, string? failIn) : IPartial<Counting>
    {
        [ThreadStatic]
        private static int _decodingRank;

        public long Value { get; private set; } = value;

        public static Counting Decode(ref PartialReader reader)
        {
            long v = reader.ReadInt64();
            int failingRank = (int)reader.ReadInt64();
            string? failIn = reader.ReadInt64() switch { 1 => "merge", 2 => "decode", 3 => "encode", _ => null };
            if (failIn == "decode" && failingRank == _decodingRank)
            {
                throw new InvalidDataException($"decode failed on rank {_decodingRank}");
            }

            return new Counting(v, failingRank, failIn);
        }

        public static void OnRank(int rank) => _decodingRank = rank;

        public void Merge(Counting other)
        {
            if (failIn == "merge" && _decodingRank == rank)
            {
                throw new InvalidOperationException($"merge failed on rank {rank}");
            }

            Value += other.Value;
        }

        public void WriteTo(PartialWriter writer)
        {
            if (failIn == "encode" && _decodingRank == rank)
            {
                throw new InvalidOperationException($"encode failed on rank {rank}");
            }

            writer.Write(Value);
            writer.Write((long)rank);
            writer.Write(failIn switch { "merge" => 1L, "decode" => 2L, "encode" => 3L, _ => 0L });
        }
    }

    [Fact]
    public void Without_failures_every_rank_gets_the_sum()
    {
        long[] sums = LocalWorld.Run(5, c =>
        {
            Counting.OnRank(c.Rank);
            return PartialReduction.Reduce(c, new Counting(c.Rank + 1, -1, null)).Value;
        });
        Assert.Equal([15L, 15, 15, 15, 15], sums);
    }

    [Theory]
    [InlineData("merge", 0)]
    [InlineData("merge", 2)]
    [InlineData("decode", 0)]
    [InlineData("decode", 4)]
    [InlineData("encode", 1)]
    [InlineData("encode", 0)]
    public void A_failure_on_one_rank_is_the_same_error_on_every_rank(string step, int failing)
    {
        var causes = new string?[5];
        Assert.Throws<DistalException>(() => LocalWorld.Run(5, TimeSpan.FromSeconds(30), c =>
        {
            Counting.OnRank(c.Rank);
            try
            {
                return PartialReduction.Reduce(c, new Counting(c.Rank + 1, failing, step)).Value;
            }
            catch (DistalException e)
            {
                causes[c.Rank] = e.Message;
                throw;
            }
        }));

        // Rank 4's partial is decoded only on rank 0 (4 → 0 in the last round) and then in the broadcast everywhere.
        Assert.All(causes, cause => Assert.NotNull(cause));
        Assert.Single(causes.Distinct());
        Assert.Contains($"{step} failed on rank", causes[0], StringComparison.Ordinal);
    }
}
