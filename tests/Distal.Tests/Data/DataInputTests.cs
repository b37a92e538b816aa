using Distal.Data;

namespace Distal.Tests.Data;

public sealed class DataInputTests : IDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static T WithinGuard<T>(Func<T> run)
    {
        var task = Task.Run(run);
        Assert.True(((IAsyncResult)task).AsyncWaitHandle.WaitOne(HangGuard), "collective read hung");
        return task.GetAwaiter().GetResult();
    }

    private Table<double> RandomTable(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var table = Table<double>.Create(rows, columns);
        for (int i = 0; i < table.Span.Length; i++)
        {
            table.Span[i] = Math.Round(random.NextDouble() * 100, random.Next(6));
        }

        return table;
    }

    [Theory]
    [InlineData("whole.csv")]
    [InlineData("whole.npy")]
    public void One_file_split_over_1_to_8_ranks_concatenates_to_the_whole(string name)
    {
        foreach (int rows in new[] { 3, 50 })
        {
            Table<double> whole = RandomTable(rows, 4, rows);
            string path = _directory.File(name);
            DataFile.FormatOf(path).Write(path, whole);

            for (int ranks = 1; ranks <= 8; ranks++)
            {
                Table<double>[] parts = WithinGuard(() => Spmd.RunLocal(ranks, s => DataInput.Read<double>(s.Communicator, [path])));
                Assert.All(parts, part => Assert.Equal(4, part.Columns));
                Assert.Equal(whole.Span.ToArray(), parts.SelectMany(part => part.Span.ToArray()));
            }
        }
    }

    [Fact]
    public void Per_rank_files_may_mix_formats_and_be_empty()
    {
        string first = _directory.File("r0.npy");
        DataFile.WriteNpy(first, RandomTable(5, 3, 1));
        string second = _directory.Write("r1.csv", string.Empty);
        string third = _directory.File("r2.csv");
        DataFile.WriteCsv(third, RandomTable(2, 3, 2));
        Table<double>[] parts = WithinGuard(() => Spmd.RunLocal(3, s => DataInput.Read<double>(s.Communicator, [first, second, third])));
        Assert.Equal([5, 0, 2], parts.Select(p => p.Rows));
        Assert.All(parts, part => Assert.Equal(3, part.Columns));
    }

    [Fact]
    public void A_missing_file_on_one_rank_fails_on_every_rank()
    {
        string good = _directory.Write("good.csv", "1,2\n");
        string missing = _directory.File("missing.npy");
        var error = Assert.Throws<DistalException>(() => WithinGuard(() => Spmd.RunLocal(4, s => DataInput.Read<double>(s.Communicator, [good, good, missing, good]))));
        Assert.Equal($"rank 2: {missing}: file not found", error.Message);
    }

    [Fact]
    public void Column_counts_must_agree_across_formats()
    {
        string npy = _directory.File("a.npy");
        DataFile.WriteNpy(npy, RandomTable(2, 3, 4));
        string csv = _directory.Write("b.csv", "1,2\n");
        var error = Assert.Throws<DistalException>(() => WithinGuard(() => Spmd.RunLocal(2, s => DataInput.Read<double>(s.Communicator, [npy, csv]))));
        Assert.Equal($"rank 1: {csv}: rows have 2 columns; rank 0's have 3", error.Message);
    }

    [Fact]
    public void ReadPerRank_reads_npy_by_extension()
    {
        string npy = _directory.File("mine.npy");
        DataFile.WriteNpy(npy, RandomTable(4, 2, 5));
        Table<double>[] parts = WithinGuard(() => Spmd.RunLocal(2, s => DataInput.ReadPerRank<double>(s.Communicator, npy)));
        Assert.All(parts, part => Assert.Equal(4, part.Rows));
    }
}
