using System.Globalization;
using System.Text;

namespace Distal.Cli;

/// <summary>Writes tables as headerless CSV with round-trip ("R") formatting.</summary>
internal static class CsvOutput
{
    public static void Write(string path, Table<double> table)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), bufferSize: 1 << 16);
        var line = new StringBuilder();
        for (int i = 0; i < table.Rows; i++)
        {
            line.Clear();
            var row = table.Row(i);
            for (int j = 0; j < row.Length; j++)
            {
                if (j > 0)
                {
                    line.Append(',');
                }

                line.Append(row[j].ToString("R", CultureInfo.InvariantCulture));
            }

            writer.WriteLine(line);
        }
    }
}
