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
        var range = CsvRowLocator.ReadRows<double>(path, 40, 25);
        Assert.Equal(25, range.Rows);
        Assert.Equal(Enumerable.Range(40, 25).Select(r => new double[] { r, r * 2 }).ToArray(), range.ToRowArrays());
        Assert.Equal(10, CsvRowLocator.ReadRows<double>(path, 290, 50).Rows);
    }
}
