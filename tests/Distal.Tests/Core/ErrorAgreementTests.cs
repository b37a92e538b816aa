using Distal.Algorithms;
using Distal.Communication;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Core;

[Trait("Category", "Algorithm")]
public class ErrorAgreementTests
{
    [Fact]
    public void One_failing_rank_among_four_raises_the_same_exception_on_all_four()
    {
        var seen = new DistalException?[4];
        Ranks.Run(4, s =>
        {
            try
            {
                s.Communicator.Collectively(() =>
                {
                    if (s.Rank == 2)
                    {
                        throw new DistalException(FailureKind.Input, "part2.csv:7:3: 'x' is not a finite number");
                    }
                });
            }
            catch (DistalException e)
            {
                seen[s.Rank] = e;
            }

            return 0;
        });
        Assert.All(seen, e =>
        {
            Assert.NotNull(e);
            Assert.Equal(2, e.Rank);
            Assert.Equal(FailureKind.Input, e.Kind);
            Assert.Equal("rank 2: part2.csv:7:3: 'x' is not a finite number", e.Message);
        });
    }

    [Fact]
    public void A_missing_file_on_one_rank_fails_every_rank_instead_of_hanging()
    {
        string good = SharedData.PathOf("covcormoments_dense.csv");
        var error = Assert.Throws<DistalException>(() => Ranks.Run(4, s =>
            new Covariance { Distributed = true }.Compute(s.Rank == 2 ? "/nonexistent/part2.csv" : good)));
        Assert.Equal(2, error.Rank);
        Assert.Contains("/nonexistent/part2.csv: file not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unexpected_exception_outside_the_protocol_still_releases_the_other_ranks()
    {
        var error = Assert.Throws<DistalException>(() => Ranks.Run(4, s =>
        {
            if (s.Rank == 1)
            {
                throw new InvalidOperationException("boom");
            }

            // The others wait in a collective that rank 1 never reaches.
            s.Communicator.Barrier();
            return 0;
        }));
        Assert.Equal(1, error.Rank);
        Assert.Contains("boom", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lowest_failing_rank_wins_when_several_fail()
    {
        var error = Assert.Throws<DistalException>(() => Ranks.Run(5, s =>
        {
            s.Communicator.Collectively(() =>
            {
                if (s.Rank is 3 or 4)
                {
                    throw new DistalException(FailureKind.Numerical, $"singular on {s.Rank}");
                }
            });
            return 0;
        }));
        Assert.Equal(3, error.Rank);
        Assert.Equal(FailureKind.Numerical, error.Kind);
    }
}
