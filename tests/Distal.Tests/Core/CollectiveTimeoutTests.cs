using System.Diagnostics;
using Distal.Communication;

namespace Distal.Tests.Core;

/// <summary>The collective timeout on the embedded engine: a silent rank becomes the same error on every rank.</summary>
[Trait("Category", "Algorithm")]
public class CollectiveTimeoutTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(500);

    [Fact]
    public void A_rank_stuck_outside_any_collective_fails_the_world_after_the_timeout()
    {
        using var release = new ManualResetEventSlim();
        var seen = new Exception?[4];
        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<DistalException>(() => LocalWorld.Run(4, Short, c =>
        {
            try
            {
                if (c.Rank == 2)
                {
                    // A hung file system: this rank never reaches the collective (until the test releases it).
                    release.Wait(TimeSpan.FromSeconds(60));
                    return 0;
                }

                var values = new double[8];
                c.Allreduce(values.AsSpan(), ReduceOperation.Sum);
                return 1;
            }
            catch (Exception e)
            {
                seen[c.Rank] = e;
                throw;
            }
        }));
        clock.Stop();
        release.Set();

        Assert.Equal(FailureKind.Communication, error.Kind);
        Assert.Contains("no answer from the other ranks after 0.5 s in a collective", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        foreach (int r in (int[])[0, 1, 3])
        {
            var e = Assert.IsType<DistalException>(seen[r]);
            Assert.Equal(error.Cause, e.Cause);
        }
    }

    [Fact]
    public void A_receive_whose_send_never_comes_fails_after_the_timeout()
    {
        var error = Assert.Throws<DistalException>(() => LocalWorld.Run(2, Short, c =>
            c.Rank == 1 ? c.Receive<double>(0, 7).Length : 0));
        Assert.Equal(1, error.Rank);
        Assert.Contains("in a receive from rank 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sub_worlds_of_a_split_keep_the_timeout()
    {
        var error = Assert.Throws<DistalException>(() => LocalWorld.Run(4, Short, c =>
        {
            using var half = c.Split(c.Rank % 2, c.Rank);
            if (c.Rank != 3)
            {
                half.Barrier();
            }

            return 0;
        }));
        Assert.Contains("no answer from the other ranks", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_timeout_a_slow_rank_is_simply_waited_for()
    {
        int[] results = LocalWorld.Run(3, TimeSpan.FromSeconds(30), c =>
        {
            if (c.Rank == 0)
            {
                Thread.Sleep(700);
            }

            return c.Allreduce(c.Rank, ReduceOperation.Sum);
        });
        Assert.Equal([3, 3, 3], results);
    }

    [Theory]
    [InlineData("2.5", 2.5)]
    [InlineData("30", 30.0)]
    [InlineData("1e-3", 0.001)]
    public void Seconds_parse(string text, double seconds)
        => Assert.Equal(TimeSpan.FromSeconds(seconds), CollectiveTimeout.Parse(text, "DISTAL_TIMEOUT"));

    [Fact]
    public void Empty_means_no_timeout()
    {
        Assert.Null(CollectiveTimeout.Parse(null, "DISTAL_TIMEOUT"));
        Assert.Null(CollectiveTimeout.Parse("  ", "DISTAL_TIMEOUT"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("ten")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e300")]
    public void Bad_values_are_usage_errors(string text)
    {
        var error = Assert.Throws<DistalException>(() => CollectiveTimeout.Parse(text, "DISTAL_TIMEOUT"));
        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.StartsWith("DISTAL_TIMEOUT must be a positive number of seconds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_public_setting_rejects_zero_and_negative_spans()
    {
        Assert.Equal(FailureKind.Usage, Assert.Throws<DistalException>(() => Spmd.CollectiveTimeout = TimeSpan.Zero).Kind);
        Assert.Equal(FailureKind.Usage, Assert.Throws<DistalException>(() => Spmd.CollectiveTimeout = TimeSpan.FromSeconds(-1)).Kind);
    }

    [Fact]
    public void Excerpts_of_binary_fields_are_short_and_printable()
    {
        string excerpt = Excerpt.Of([0x00, 0x1B, (byte)'[', (byte)'2', (byte)'J', 0xFF, 0xFE]);
        Assert.Equal("\\x00\\x1B[2J\\uFFFD\\uFFFD", excerpt);
        Assert.Equal(Excerpt.MaximumLength + 1, Excerpt.Of(new string('a', 500)).Length);
    }

    [Fact]
    public void Abort_outside_mpi_rethrows_the_error_it_was_given()
    {
        // Embedded ranks already share one failure: Abort rethrows, and every rank sees it as rank 1's error.
        var error = new InvalidOperationException("only this rank knows");
        var thrown = Assert.Throws<DistalException>(() => Spmd.RunLocal(2, s =>
        {
            if (s.Rank == 1)
            {
                s.Abort(error);
            }

            s.Communicator.Barrier();
        }));
        Assert.Equal(1, thrown.Rank);
        Assert.Same(error, thrown.InnerException);
    }
}
