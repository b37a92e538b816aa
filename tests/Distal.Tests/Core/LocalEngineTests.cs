using Distal.Communication;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Core;

[Trait("Category", "Algorithm")]
public class LocalEngineTests
{
    [Fact]
    public void Collectives_give_the_values_computed_independently()
    {
        const int size = 5;
        var results = Ranks.Run(size, s =>
        {
            var c = s.Communicator;
            double[] sum = [c.Rank, 1.5 * c.Rank];
            c.Allreduce<double>(sum, ReduceOperation.Sum);
            long min = c.Allreduce((long)(10 - c.Rank), ReduceOperation.Min);
            float max = c.Allreduce((float)c.Rank, ReduceOperation.Max);
            int[] broadcast = c.Rank == 3 ? [7, 8, 9] : new int[3];
            c.Broadcast<int>(broadcast, 3);
            byte[] gathered = c.AllgatherV<byte>(Enumerable.Repeat((byte)c.Rank, c.Rank).ToArray(), out int[] counts);
            int[] atRoot = c.GatherV<int>([c.Rank * 10], 1, out int[] rootCounts);
            long scan = c.ExclusiveScan((long)(c.Rank + 1));
            if (c.Rank > 0)
            {
                c.Send<double>([c.Rank * 2.0], 0, 9);
            }

            double received = c.Rank == 0 ? Enumerable.Range(1, size - 1).Sum(r => c.Receive<double>(r, 9)[0]) : 0;
            return (sum, min, max, broadcast, gathered, counts, atRoot, rootCounts, scan, received);
        });
        for (int r = 0; r < size; r++)
        {
            var x = results[r];
            Assert.Equal([10.0, 15.0], x.sum);
            Assert.Equal(6L, x.min);
            Assert.Equal(4f, x.max);
            Assert.Equal([7, 8, 9], x.broadcast);
            Assert.Equal([1, 2, 2, 3, 3, 3, 4, 4, 4, 4], x.gathered);
            Assert.Equal([0, 1, 2, 3, 4], x.counts);
            Assert.Equal(r == 1 ? [0, 10, 20, 30, 40] : [], x.atRoot);
            Assert.Equal((long)(r * (r + 1) / 2), x.scan);
        }

        Assert.Equal(20.0, results[0].received);
    }

    [Theory]
    [InlineData(1, 4096)]
    [InlineData(3, 4096)]
    [InlineData(7, 5001)]
    [InlineData(64, 4099)]
    public void Long_allreduce_sums_in_rank_order_on_every_rank(int size, int length)
    {
        // Values whose sum depends on the order: rank r holds ±1e16 and small numbers, so only the rank-order sum
        // ((v0 + v1) + v2) + … reproduces the reference bit for bit; min and max are checked on the same values.
        static double Value(int rank, int i) => (rank + i) % 3 == 0 ? (i % 2 == 0 ? 1e16 : -1e16) : (rank + 1) * 0.1 + i * 1e-3;
        var expectedSum = new double[length];
        var expectedMin = new double[length];
        var expectedMax = new double[length];
        for (int i = 0; i < length; i++)
        {
            expectedSum[i] = expectedMin[i] = expectedMax[i] = Value(0, i);
            for (int r = 1; r < size; r++)
            {
                expectedSum[i] += Value(r, i);
                expectedMin[i] = Math.Min(expectedMin[i], Value(r, i));
                expectedMax[i] = Math.Max(expectedMax[i], Value(r, i));
            }
        }

        var results = Ranks.Run(size, s =>
        {
            double[] sum = [.. Enumerable.Range(0, length).Select(i => Value(s.Rank, i))];
            double[] min = [.. sum];
            double[] max = [.. sum];
            s.Communicator.Allreduce<double>(sum, ReduceOperation.Sum);
            s.Communicator.Allreduce<double>(min, ReduceOperation.Min);
            s.Communicator.Allreduce<double>(max, ReduceOperation.Max);
            return (sum, min, max);
        });
        foreach (var (sum, min, max) in results)
        {
            Assert.Equal(expectedSum, sum);
            Assert.Equal(expectedMin, min);
            Assert.Equal(expectedMax, max);
        }
    }

    [Fact]
    public void Long_allreduce_of_different_lengths_fails_on_every_rank()
    {
        var error = Assert.Throws<DistalException>(() => Ranks.Run(4, s =>
        {
            var values = new double[s.Rank == 2 ? 5000 : 4096];
            s.Communicator.Allreduce<double>(values, ReduceOperation.Sum);
            return 0;
        }));
        Assert.Contains("length mismatch", error.Message);
    }

    [Fact]
    public void Split_makes_independent_groups()
    {
        var results = Ranks.Run(6, s =>
        {
            using var half = s.Communicator.Split(s.Rank % 2, -s.Rank);
            long sum = half.Allreduce((long)s.Rank, ReduceOperation.Sum);
            return (half.Size, half.Rank, sum);
        });
        Assert.Equal((3, 2, 6L), results[0]);
        Assert.Equal((3, 0, 6L), results[4]);
        Assert.Equal((3, 1, 9L), results[3]);
    }

    [Fact]
    public void Table_views_share_memory()
    {
        var array = new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } };
        var table = Table.FromArray(array);
        table[2, 1] = 60;
        Assert.Equal(60, array[2, 1]);
        var slice = table.SliceRows(1, 2);
        slice[0, 0] = 30;
        Assert.Equal(30, array[1, 0]);
        var fromArray = Table.FromArray(new float[] { 1, 2, 3, 4 }, 2, 2);
        Assert.Equal(3f, fromArray[1, 0]);
        Assert.Throws<ArgumentException>(() => new Table<double>(new double[5], 2));
    }
}
