using Distal.Algorithms;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Core;

/// <summary>Options are separate from execution: the ranks come from the session or an explicit communicator, never silently from nowhere.</summary>
[Trait("Category", "Algorithm")]
public class ComputeContextTests
{
    private static readonly Table<double> Rows = Table.FromArray(new double[,] { { 1, 2 }, { 3, 5 }, { 4, 4 } });

    [Fact]
    public void Distributed_without_a_session_or_communicator_is_a_clear_usage_error()
    {
        var error = Assert.Throws<DistalException>(() => new Covariance { Distributed = true }.Compute(Rows));
        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.Contains("Spmd.Init()", error.Message, StringComparison.Ordinal);
        Assert.Throws<DistalException>(() => new LowOrderMoments { Distributed = true }.CreateOnline());
    }

    [Fact]
    public void One_algorithm_object_serves_every_embedded_rank_through_its_session()
    {
        var algorithm = new LowOrderMoments { Distributed = true };
        int[] counts = [1, 0, 2];
        var sums = Ranks.Run(3, s => algorithm.Compute(Ranks.Share(Rows, counts, s.Rank)).Sum!);
        foreach (var sum in sums)
        {
            Assert.Equal(new double[] { 8, 11 }, sum);
        }
    }

    [Fact]
    public void A_failed_streaming_chunk_on_one_rank_fails_finalize_on_every_rank()
    {
        var errors = Ranks.Run(3, s =>
        {
            var online = new Covariance { Distributed = true }.CreateOnline();
            online.Add(Rows);
            if (s.Rank == 1)
            {
                Assert.Throws<DistalException>(() => online.Add(Table.FromArray(new double[,] { { 1, 2, 3 } })));
            }

            return Record.Exception(() => online.Finalize());
        });
        foreach (var error in errors)
        {
            var distal = Assert.IsType<DistalException>(error);
            Assert.Contains("rank 1", distal.Message, StringComparison.Ordinal);
            Assert.Contains("3 columns", distal.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Ranks_that_disagree_on_columns_get_one_error_naming_the_rank()
    {
        var errors = Ranks.Run(3, s =>
            Record.Exception(() => new Covariance { Distributed = true }.Compute(s.Rank == 2 ? Table.FromArray(new double[,] { { 1, 2, 3 } }) : Rows)));
        foreach (var error in errors)
        {
            var distal = Assert.IsType<DistalException>(error);
            Assert.Contains("rank 2", distal.Message, StringComparison.Ordinal);
            Assert.Contains("3 columns", distal.Message, StringComparison.Ordinal);
        }
    }
}
