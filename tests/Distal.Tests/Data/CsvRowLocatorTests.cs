using System.Text;
using Distal.Data;

namespace Distal.Tests.Data;

public class CsvRowLocatorTests
{
    [Fact]
    public void Rows_are_found_by_index_across_blank_lines()
    {
        var random = new Random(7);
        using var directory = new TempDirectory();
        var text = new StringBuilder();
        var lines = new List<long>();
        long line = 1;
        for (int row = 0; row < 300; row++)
        {
            while (random.Next(4) == 0)
            {
                text.Append(random.Next(2) == 0 ? "\n" : "  \r\n");
                line++;
            }

            text.Append(random.Next(3) == 0 ? "  " : string.Empty).Append(row).Append(',').Append(row * 2).Append('\n');
            lines.Add(line++);
        }

        string path = directory.Write("rows.csv", text.ToString());
        foreach (int row in new[] { 0, 1, 17, 150, 299 })
        {
            Assert.Equal(lines[row], CsvRowLocator.LineOfRow(path, row));
        }

        Assert.Equal(0, CsvRowLocator.LineOfRow(path, 300));

        // Counting a share's rows (no parsing) gives what the reader parses from that share, for any split.
        for (int shares = 1; shares <= 9; shares++)
        {
            long total = 0;
            for (int share = 0; share < shares; share++)
            {
                long counted = CsvRowLocator.CountShareRows(path, share, shares);
                Assert.Equal(CsvReader.ReadShare<double>(path, share, shares).Rows, counted);
                total += counted;
            }

            Assert.Equal(300, total);
        }
    }

    [Theory]
    [InlineData("1,2\n3,4\n", 2)]
    [InlineData("1,2\n\n  \r\n3,4", 2)]
    [InlineData("\n\n \t\n", 0)]
    [InlineData("  5,1\r\n\r\n\t6,7\r\n  \n8,9", 3)]
    [InlineData("", 0)]
    public void Rows_are_counted_the_same_wherever_the_text_is_cut(string text, int rows)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        for (int cut = 0; cut <= bytes.Length; cut++)
        {
            bool inRow = false;
            long counted = CsvRowLocator.CountRows(bytes.AsSpan(0, cut), ref inRow) + CsvRowLocator.CountRows(bytes.AsSpan(cut), ref inRow);
            Assert.Equal(rows, counted);
        }

        using var directory = new TempDirectory();
        string path = directory.Write("cut.csv", text);
        Assert.Equal(DataFile.Read<double>(path).Rows, CsvRowLocator.CountShareRows(path, 0, 1));
    }
}
