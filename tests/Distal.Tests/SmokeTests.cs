namespace Distal.Tests;

public class SmokeTests
{
    [Fact]
    public void RunLocal_gives_each_rank_its_index()
    {
        int[] ranks = Spmd.RunLocal(3, s => s.Rank);
        Assert.Equal([0, 1, 2], ranks);
    }
}
