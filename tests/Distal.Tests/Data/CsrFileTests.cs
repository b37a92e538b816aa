using System.Globalization;
using System.Text;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Data;

public class CsrFileTests
{
    [Fact]
    public void Upstream_csr_file_reads_as_an_independent_parse_and_its_shares_concatenate_to_it()
    {
        string path = SharedData.PathOf("batch/naivebayes_train_csr.csv");
        var expected = IndependentDense(File.ReadAllText(path), 20);
        var whole = CsrFile.Read<double>(path);
        Assert.Equal(8000, whole.Rows);
        Assert.Equal(20, whole.Columns);
        Assert.True(whole.ColumnsIsLowerBound);
        Assert.Equal(expected, whole.ToDense().ToRowArrays());
        foreach (int shares in new[] { 2, 3, 7 })
        {
            var rows = Enumerable.Range(0, shares).SelectMany(s => CsrFile.ReadShare<double>(path, s, shares, columns: 20).ToDense().ToRowArrays()).ToArray();
            Assert.Equal(expected, rows);
        }
    }

    [Fact]
    public void Fuzzed_files_read_back_exactly_whole_and_by_shares()
    {
        var random = new Random(20261125);
        using var directory = new TempDirectory();
        for (int trial = 0; trial < 60; trial++)
        {
            int rows = 1 + random.Next(40);
            int columns = 1 + random.Next(12);
            double density = random.NextDouble();
            var dense = new double[rows][];
            for (int i = 0; i < rows; i++)
            {
                dense[i] = new double[columns];
                for (int j = 0; j < columns; j++)
                {
                    dense[i][j] = random.NextDouble() < density ? Math.Round((random.NextDouble() - 0.3) * Math.Pow(10, random.Next(-3, 6)), random.Next(0, 5)) : 0;
                }
            }

            if (dense.SelectMany(r => r).All(v => v == 0))
            {
                dense[0][0] = 1.5;
            }

            bool oneBased = random.Next(2) == 0;
            string text = Format(dense, oneBased, random);
            string path = directory.Write($"fuzz{trial}.csr", text);
            Assert.Equal(dense, CsrFile.Read<double>(path, columns).ToDense().ToRowArrays());
            int shares = 1 + random.Next(6);
            var joined = Enumerable.Range(0, shares).SelectMany(s => CsrFile.ReadShare<double>(path, s, shares, columns).ToDense().ToRowArrays()).ToArray();
            Assert.Equal(dense, joined);
        }
    }

    [Fact]
    public void Written_files_read_back_bit_for_bit_and_slices_write_as_their_own_rows()
    {
        using var directory = new TempDirectory();
        var dense = Table.FromArray(new[,] { { 0.1, 0, 3e-300 }, { 0, 0, 0 }, { -2.5, 1.0 / 3, 0 }, { 0, 7, 1e300 } });
        var csr = CsrTable.FromDense(dense);
        string path = directory.File("t.csr");
        CsrFile.Write(path, csr);
        Assert.StartsWith("1,3,3,5,7\n1,3,1,2,2,3\n", File.ReadAllText(path), StringComparison.Ordinal);
        Compare.Bitwise(dense.Span, CsrFile.Read<double>(path, 3).ToDense().Span);
        CsrFile.Write(path, csr.SliceRows(2, 2));
        Compare.Bitwise(dense.SliceRows(2, 2).Span, CsrFile.Read<double>(path, 3).ToDense().Span);
    }

    [Theory]
    [InlineData("1,3,2,4\n1,2,1\n1,2,3\n", ":1: row offsets must not decrease: offset 2 is 2, after 3")]
    [InlineData("2,3,4\n1,2\n1,2\n", ":1: the first row offset is 2")]
    [InlineData("1,2,3\n1,0\n1,2\n", ":2: column index 0 is out of range")]
    [InlineData("1,2,3\n1,9\n1,2\n", ":2: column index 9 is out of range: [1, 3]")]
    [InlineData("1,2,4\n1,2\n1,2\n", ":2: 2 column indices, but the row offsets say 3 non-zeros")]
    [InlineData("1,2,3\n1,2\n1,2,3\n", ":3: 3 values, but the row offsets say 2 non-zeros")]
    [InlineData("1,2,3\n,\n1,2\n", ":2:1: empty field")]
    [InlineData("1,1,1\n,\n,\n", ":1: the row offsets describe no values")]
    [InlineData("1,2,3\n\n\n", "line 2 of them (column indices) is missing")]
    [InlineData("1,2,3\n1,2\n", "line 3 of them (values) is missing")]
    [InlineData("1,2,3\n1,2\n1,x\n", ":3:3: 'x' is not a finite number")]
    [InlineData("1,2,3\n1,2.5\n1,2\n", ":2:3: column index '2.5' is not an integer")]
    [InlineData("1,2,3\n1,2\n1,2\n4\n", ":4: a CSR file has 3 lines")]
    [InlineData("1,2,3\n1,2\n1,1e999\n", ":3:3: '1e999' is not a finite number")]
    public void Malformed_files_fail_with_file_line_and_cause(string text, string expected)
    {
        using var directory = new TempDirectory();
        string path = directory.Write("bad.csr", text);
        var error = Assert.ThrowsAny<DistalException>(() => CsrFile.Read<double>(path, columns: 3));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_share_reports_a_malformed_file_with_its_line()
    {
        using var directory = new TempDirectory();
        string path = directory.Write("bad.csr", "1,2,3,4,5\n1,2,3,4\n1,2,3\n");
        for (int share = 0; share < 3; share++)
        {
            var error = Assert.ThrowsAny<DistalException>(() => CsrFile.ReadShare<double>(path, share, 3));
            Assert.Contains(":3: 3 values, but the row offsets say 4 non-zeros", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Tables_view_caller_arrays_zero_or_one_based_and_slice_without_copying()
    {
        int[] offsets = [1, 3, 3, 4];
        int[] indices = [1, 3, 2];
        double[] values = [5, 6, 7];
        var table = new CsrTable<double>(offsets, indices, values, indexing: CsrIndexing.OneBased);
        Assert.Equal(3, table.Columns);
        Assert.True(table.ColumnsIsLowerBound);
        Assert.Equal(new[] { new double[] { 5, 0, 6 }, [0, 0, 0], [0, 7, 0] }, table.ToDense().ToRowArrays());
        values[2] = 8;
        var slice = table.SliceRows(1, 2);
        Assert.Equal(new[] { new double[] { 0, 0, 0 }, [0, 8, 0] }, slice.ToDense().ToRowArrays());
        Assert.Equal(1, slice.NonZeros);
        Assert.Equal(5, table.WithColumns(5).ToDense().Columns);
        Assert.Throws<ArgumentException>(() => new CsrTable<double>(new[] { 0, 2, 1 }, new[] { 0, 1 }, new double[] { 1, 2 }));
        Assert.Throws<ArgumentException>(() => new CsrTable<double>(new[] { 0, 2 }, new[] { 0, 3 }, new double[] { 1, 2 }, columns: 3));
        Assert.Throws<ArgumentException>(() => new CsrTable<double>(new[] { 0, 2 }, new[] { 0 }, new double[] { 1, 2 }));
        Assert.Throws<ArgumentException>(() => new CsrTable<double>(new[] { 1, 2 }, new[] { 0 }, new double[] { 1 }));
    }

    /// <summary>A plain parse of a 3-line one-based CSR text into dense rows (not Distal's reader).</summary>
    internal static double[][] IndependentDense(string text, int columns)
    {
        var lines = text.Split('\n').Where(l => l.Trim().Length > 0).Select(l => l.Trim().TrimEnd(',').Split(',')).ToArray();
        var offsets = lines[0].Select(int.Parse).ToArray();
        var indices = lines[1].Select(int.Parse).ToArray();
        var values = lines[2].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var rows = new double[offsets.Length - 1][];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = new double[columns];
            for (int k = offsets[i] - 1; k < offsets[i + 1] - 1; k++)
            {
                rows[i][indices[k] - 1] = values[k];
            }
        }

        return rows;
    }

    /// <summary>Formats rows as a CSR file with random spacing, trailing commas, CRLF and blank lines.</summary>
    private static string Format(double[][] dense, bool oneBased, Random random)
    {
        int b = oneBased ? 1 : 0;
        var offsets = new List<string> { b.ToString(CultureInfo.InvariantCulture) };
        var indices = new List<string>();
        var values = new List<string>();
        foreach (var row in dense)
        {
            for (int j = 0; j < row.Length; j++)
            {
                if (row[j] != 0)
                {
                    indices.Add((j + b).ToString(CultureInfo.InvariantCulture));
                    values.Add(random.Next(4) == 0 ? row[j].ToString("E17", CultureInfo.InvariantCulture) : row[j].ToString("R", CultureInfo.InvariantCulture));
                }
            }

            offsets.Add((indices.Count + b).ToString(CultureInfo.InvariantCulture));
        }

        string newline = random.Next(3) == 0 ? "\r\n" : "\n";
        var text = new StringBuilder();
        foreach (var line in new[] { offsets, indices, values })
        {
            string separator = random.Next(3) == 0 ? " , " : ",";
            text.Append(string.Join(separator, line));
            text.Append(random.Next(2) == 0 ? "," : string.Empty);
            text.Append(newline);
            if (random.Next(5) == 0)
            {
                text.Append(newline);
            }
        }

        return random.Next(2) == 0 ? text.ToString().TrimEnd() : text.ToString();
    }
}
