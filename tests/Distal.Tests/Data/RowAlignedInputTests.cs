using Distal.Arrow;
using Distal.Communication;
using Distal.Data;
using Distal.Parquet;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Data;

/// <summary>
/// One targets file read row for row with data split across 1–8 ranks (more ranks than rows included): every rank gets
/// exactly the targets of its own data rows, bit for bit, whole and in chunks, in every format; a file with another
/// row count is the same input error naming both files on every rank.
/// </summary>
public sealed class RowAlignedInputTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public RowAlignedInputTests()
    {
        DataFile.Register(ParquetFormat.Instance);
        DataFile.Register(ArrowFormat.Instance);
    }

    public void Dispose() => _directory.Dispose();

    public static TheoryData<string, string> Pairs => new()
    {
        { "x.csv", "y.csv" },
        { "x.csv", "y.npy" },
        { "x.npy", "y.csv" },
        { "x.csv", "y.parquet" },
        { "x.arrow", "y.csv" },
        { "x.parquet", "y.arrow" },
    };

    /// <summary>Row i holds (i, −i) in x and (10·i + 0.5) in y's first column, so a misaligned row cannot go unseen.</summary>
    private (string X, string Y) Write(string xName, string yName, int rows)
    {
        var x = Table<double>.Create(rows, 2);
        var y = Table<double>.Create(rows, 2);
        for (int i = 0; i < rows; i++)
        {
            (x[i, 0], x[i, 1]) = (i, -i);
            (y[i, 0], y[i, 1]) = ((10.0 * i) + 0.5, 1.0 / (i + 3));
        }

        string xPath = _directory.File($"{rows}-{xName}");
        string yPath = _directory.File($"{rows}-{yName}");
        DataFile.FormatOf(xPath).Write(xPath, x);
        DataFile.FormatOf(yPath).Write(yPath, y);
        return (xPath, yPath);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Every_rank_reads_the_targets_of_its_own_rows_whole_and_in_chunks(string xName, string yName)
    {
        foreach (int rows in new[] { 5, 1001 })
        {
            var (xPath, yPath) = Write(xName, yName, rows);
            for (int ranks = 1; ranks <= 8; ranks++)
            {
                var results = Spmd.RunLocal(ranks, s =>
                {
                    Table<double> x = DataInput.Read<double>(s.Communicator, [xPath]);
                    var plan = RowAlignedInput.Plan(s.Communicator, yPath, x.Rows, xPath);
                    var chunks = plan.ReadChunks<double>(7).Select(c => c.ToRowArrays()).SelectMany(r => r).ToArray();
                    return (X: x, Whole: plan.Read<double>(), Chunks: chunks);
                });
                foreach (var (x, whole, chunks) in results)
                {
                    Assert.Equal(x.Rows, whole.Rows);
                    Assert.Equal(x.Rows, chunks.Length);
                    for (int i = 0; i < x.Rows; i++)
                    {
                        double expected = (10.0 * x[i, 0]) + 0.5;
                        Assert.Equal(expected, whole[i, 0]);
                        Assert.Equal(expected, chunks[i][0]);
                        Assert.Equal(1.0 / (x[i, 0] + 3), chunks[i][1]);
                    }
                }

                Assert.Equal(rows, results.Sum(r => r.X.Rows));
            }
        }
    }

    [Theory]
    [InlineData("y.csv", 1000)]
    [InlineData("y.csv", 1002)]
    [InlineData("y.npy", 1000)]
    public void Another_row_count_is_one_error_naming_both_files_on_every_rank(string yName, int yRows)
    {
        var (xPath, _) = Write("x.csv", "unused.csv", 1001);
        var (_, yPath) = Write("unused.csv", yName, yRows);
        var errors = Spmd.RunLocal(3, s =>
        {
            Table<double> x = DataInput.Read<double>(s.Communicator, [xPath]);
            return Assert.Throws<DistalException>(() => RowAlignedInput.Plan(s.Communicator, yPath, x.Rows, xPath));
        });
        foreach (var error in errors)
        {
            Assert.Equal(FailureKind.Input, error.Kind);
            Assert.Contains($"{yPath}: {yRows} rows for the 1001 rows of {xPath}", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Shares_of_csv_npy_and_columnar_files_are_counted_as_their_readers_split_them()
    {
        foreach (string name in new[] { "c.csv", "c.npy", "c.parquet", "c.arrow" })
        {
            var (path, _) = Write(name, "unused.csv", 333);
            TableFormat format = DataFile.FormatOf(path);
            for (int shares = 1; shares <= 8; shares++)
            {
                for (int share = 0; share < shares; share++)
                {
                    Assert.Equal(format.ReadShare<double>(path, share, shares, TableReadOptions.Default).Rows, RowAlignedInput.CountShareRows(path, format, share, shares, TableReadOptions.Default));
                }
            }
        }
    }
}
