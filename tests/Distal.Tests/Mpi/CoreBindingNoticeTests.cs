using Distal.Communication.Mpi;

namespace Distal.Tests.Mpi;

public class CoreBindingNoticeTests
{
    [Theory]
    [InlineData("0", 1)]
    [InlineData("0-1", 2)]
    [InlineData("0-3,8,10-11\n", 7)]
    [InlineData("", 0)]
    [InlineData("x", 0)]
    public void Counts_linux_cpu_lists(string list, int expected) => Assert.Equal(expected, CoreBindingNotice.CountCpuList(list));

    [Fact]
    public void Speaks_only_on_the_first_local_rank_of_a_binding_that_leaves_cores_idle()
    {
        // One rank bound to one of 16 cores: the notice names both ways out.
        string? notice = CoreBindingNotice.Message(null, "0", boundCores: 1, onlineCores: 16, ranksOnNode: 1);
        Assert.NotNull(notice);
        Assert.Contains("--bind-to none", notice);
        Assert.Contains("--map-by slot:PE=16", notice);
        Assert.DoesNotContain('\n', notice);

        Assert.Null(CoreBindingNotice.Message(null, "1", 1, 16, 1));          // not the node's first rank
        Assert.Null(CoreBindingNotice.Message("1", "0", 1, 16, 1));           // DISTAL_THREADS set: the user chose
        Assert.Null(CoreBindingNotice.Message(null, null, 1, 16, 1));         // not under Open MPI
        Assert.Null(CoreBindingNotice.Message(null, "0", 8, 16, 2));          // bound to its whole share
        Assert.Null(CoreBindingNotice.Message(null, "0", 1, 2, 2));           // two ranks on two cores: nothing idle
        Assert.Null(CoreBindingNotice.Message(null, "0", 1, 0, 1));           // online cores unknown
    }
}
