using Distal.Arrow;
using Distal.Data;
using Distal.Parquet;
using Distal.Tests.Cli;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Data;

/// <summary>
/// Parquet and Arrow files: fixtures written by other implementations (hyparquet-writer, apache-arrow for JavaScript;
/// make_columnar_fixtures.mjs) read bit-equal to the expected CSV, on any number of ranks, and bad files fail clearly.
/// </summary>
public sealed class ColumnarFormatTests : IDisposable
{
    private static readonly string[] Numeric = ["a", "b", "c", "d"];

    private readonly TempDirectory _directory = new();

    public ColumnarFormatTests()
    {
        DataFile.Register(ParquetFormat.Instance);
        DataFile.Register(ArrowFormat.Instance);
    }

    public void Dispose() => _directory.Dispose();

    public static TheoryData<string> ColumnarFixtures => ["columnar.parquet", "columnar.arrow"];

    [Theory]
    [MemberData(nameof(ColumnarFixtures))]
    public void Files_from_other_writers_read_bit_equal_to_the_expected_values(string name)
    {
        Table<double> expected = DataFile.ReadCsv<double>(Fixtures.PathOf("columnar_expected.csv"));
        Table<double> actual = Read<double>(name, 0, 1, Numeric);
        Assert.Equal((23, 4), (actual.Rows, actual.Columns));
        Compare.Bitwise(expected.Span, actual.Span, name);

        // A float table rounds each value once, from the file's own type.
        Table<float> single = Read<float>(name, 0, 1, Numeric);
        for (int i = 0; i < expected.Span.Length; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits((float)expected.Span[i]), BitConverter.SingleToInt32Bits(single.Span[i]));
        }
    }

    [Theory]
    [MemberData(nameof(ColumnarFixtures))]
    public void Columns_are_selected_by_name_in_the_order_given(string name)
    {
        Table<double> all = Read<double>(name, 0, 1, Numeric);
        Table<double> picked = Read<double>(name, 0, 1, ["d", "a"]);
        Assert.Equal(2, picked.Columns);
        for (int r = 0; r < all.Rows; r++)
        {
            Assert.Equal(all[r, 3], picked[r, 0]);
            Assert.Equal(all[r, 0], picked[r, 1]);
        }

        var error = Assert.Throws<DistalException>(() => Read<double>(name, 0, 1, ["a", "zz"]));
        Assert.Contains("no column 'zz'", error.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Usage, error.Kind);
    }

    [Theory]
    [MemberData(nameof(ColumnarFixtures))]
    public void Shares_on_1_to_8_ranks_concatenate_to_the_whole_file(string name)
    {
        Table<double> whole = Read<double>(name, 0, 1, Numeric);
        string path = Fixtures.PathOf(name);
        for (int ranks = 1; ranks <= 8; ranks++)
        {
            Table<double>[] parts = Spmd.RunLocal(ranks, s => DataInput.Read<double>(s.Communicator, [path], null, Numeric));
            Assert.All(parts, p => Assert.Equal(4, p.Columns));
            Compare.Bitwise(whole.Span, parts.SelectMany(p => p.Span.ToArray()).ToArray(), $"{name} on {ranks} ranks");
        }
    }

    [Theory]
    [MemberData(nameof(ColumnarFixtures))]
    public void Chunks_across_row_groups_and_batches_concatenate_to_each_share(string name)
    {
        string path = Fixtures.PathOf(name);
        TableFormat format = DataFile.FormatOf(path);
        var options = new TableReadOptions { Columns = Numeric };
        for (int shares = 1; shares <= 4; shares++)
        {
            for (int share = 0; share < shares; share++)
            {
                Table<double> whole = format.ReadShare<double>(path, share, shares, options);
                var streamed = new List<double>();
                foreach (Table<double> chunk in format.ReadChunks<double>(path, share, shares, 2, options))
                {
                    Assert.InRange(chunk.Rows, 1, 2);
                    streamed.AddRange(chunk.Span.ToArray());
                }

                Compare.Bitwise(whole.Span, streamed.ToArray(), $"{name} share {share} of {shares}");
            }
        }
    }

    [Theory]
    [InlineData("t.csv")]
    [InlineData("t.npy")]
    [InlineData("t.parquet")]
    [InlineData("t.arrow")]
    public void Every_format_gives_the_same_table_as_CSV_on_1_to_8_ranks_read_whole_or_streamed_including_fewer_rows_than_ranks(string name)
    {
        foreach (int rows in new[] { 3, 40 })
        {
            var random = new Random(rows);
            var table = Table<double>.Create(rows, 3);
            for (int i = 0; i < table.Span.Length; i++)
            {
                table.Span[i] = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-5, 6));
            }

            string csv = _directory.File("reference.csv");
            DataFile.WriteCsv(csv, table);
            string path = _directory.File(name);
            DataFile.FormatOf(path).Write(path, table);
            for (int ranks = 1; ranks <= 8; ranks++)
            {
                Table<double>[] parts = Spmd.RunLocal(ranks, s => DataInput.Read<double>(s.Communicator, [path]));
                Table<double>[] reference = Spmd.RunLocal(ranks, s => DataInput.Read<double>(s.Communicator, [csv]));
                Assert.All(parts, p => Assert.Equal(3, p.Columns));
                Compare.Bitwise(
                    reference.SelectMany(p => p.Span.ToArray()).ToArray(),
                    parts.SelectMany(p => p.Span.ToArray()).ToArray(),
                    $"{name}, {rows} rows on {ranks} ranks");

                // Streamed (--chunk-rows): each rank's chunks of 2 rows concatenate to the share it reads whole (a format
                // cuts its own shares: bytes, rows, row groups or batches), so the ranks' rows are the CSV's in order.
                var format = DataFile.FormatOf(path);
                for (int rank = 0; rank < ranks; rank++)
                {
                    double[] chunks = [.. format.ReadChunks<double>(path, rank, ranks, 2, TableReadOptions.Default).SelectMany(c => c.Span.ToArray())];
                    Compare.Bitwise(parts[rank].Span.ToArray(), chunks, $"{name}, {rows} rows, chunks of rank {rank} of {ranks}");
                }
            }
        }
    }

    [Theory]
    [InlineData("columnar_null.parquet", "column 'gap', row 3: missing value")]
    [InlineData("columnar_null.arrow", "column 'gap', row 1: missing value")]
    [InlineData("columnar.parquet", "column 'name' is not numeric")]
    [InlineData("columnar.arrow", "column 'name' is not numeric")]
    public void Missing_values_and_text_columns_fail_naming_the_column(string name, string message)
    {
        var error = Assert.Throws<DistalException>(() => Read<double>(name, 0, 1, null));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith(Fixtures.PathOf(name), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bad.parquet")]
    [InlineData("bad.arrow")]
    public void Malformed_and_truncated_files_fail_with_one_clear_input_error(string name)
    {
        byte[] good = File.ReadAllBytes(Fixtures.PathOf(name.Replace("bad", "columnar", StringComparison.Ordinal)));
        foreach (byte[] content in new[] { "1,2,3\n4,5,6\n"u8.ToArray(), good[..(good.Length / 2)], good[..^5], [] })
        {
            string path = _directory.File(name);
            File.WriteAllBytes(path, content);
            var error = Assert.Throws<DistalException>(() => DataFile.Read<double>(path));
            Assert.Equal(FailureKind.Input, error.Kind);
            Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', error.Message);
        }
    }

    [Fact]
    public void Column_names_on_CSV_are_a_usage_error()
    {
        string csv = _directory.Write("plain.csv", "1,2\n3,4\n");
        var error = Assert.Throws<DistalException>(() => DataFile.FormatOf(csv).ReadShare<double>(csv, 0, 1, new TableReadOptions { Columns = ["a"] }));
        Assert.Equal(FailureKind.Usage, error.Kind);
    }

    [Fact]
    public void Command_line_reads_Parquet_and_Arrow_like_CSV_and_converts_between_all_formats()
    {
        string expected = Fixtures.PathOf("columnar_expected.csv");
        var reference = DistalProcess.Flatten(DistalProcess.RunJson("covariance", "--ranks", "3", expected)["covariance"]);
        foreach (string name in new[] { "columnar.parquet", "columnar.arrow" })
        {
            var json = DistalProcess.RunJson("covariance", "--ranks", "3", "--columns", "a,b,c,d", Fixtures.PathOf(name));
            Compare.Relative(reference, DistalProcess.Flatten(json["covariance"]), 1e-12, what: name);
        }

        // CSV → Parquet → Arrow → .npy → CSV gives back the same bits.
        string[] chain = [_directory.File("c.parquet"), _directory.File("c.feather"), _directory.File("c.npy"), _directory.File("c.csv")];
        string from = expected;
        foreach (string to in chain)
        {
            var (code, _, stderr) = DistalProcess.Run("convert", from, to);
            Assert.True(code == 0, stderr);
            from = to;
        }

        Compare.Bitwise(DataFile.ReadCsv<double>(expected).Span, DataFile.ReadCsv<double>(chain[^1]).Span, "round trip");

        var forced = DistalProcess.Run("low-order-moments", "--input-format", "parquet", expected);
        Assert.Equal(1, forced.ExitCode);
        Assert.Contains("cannot read as Parquet", forced.Stderr, StringComparison.Ordinal);
        var unknown = DistalProcess.Run("low-order-moments", "--input-format", "xls", expected);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("unknown input format 'xls'", unknown.Stderr, StringComparison.Ordinal);
    }

    private static Table<T> Read<T>(string name, int share, int shares, IReadOnlyList<string>? columns)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        string path = Fixtures.PathOf(name);
        return DataFile.FormatOf(path).ReadShare<T>(path, share, shares, new TableReadOptions { Columns = columns });
    }
}
