using System.Globalization;
using System.Text;

namespace Distal.Cli.Output;

/// <summary>
/// A plain-text table: a header, the first column left-aligned (labels), the others right-aligned (numbers, one
/// format per column). Wider or longer than the screen, it keeps the first and last columns and rows around a "…"
/// column or row, and says so below the table.
/// </summary>
internal sealed class TextTable(string title, IReadOnlyList<string> headers)
{
    private const string Gap = "  ";
    private readonly List<string[]> _rows = [];

    public string Title { get; } = title;

    public int RowCount => _rows.Count;

    public void Add(params string[] cells)
    {
        if (cells.Length != headers.Count)
        {
            throw new ArgumentException($"a row of {cells.Length} cells in a table of {headers.Count} columns");
        }

        _rows.Add(cells);
    }

    /// <summary>
    /// A matrix with row labels, each column formatted on its own (<see cref="NumberColumn"/>); <paramref name="rows"/>
    /// may be long (prediction), only the rows shown are formatted.
    /// </summary>
    public static TextTable Matrix(string title, IReadOnlyList<double[]> rows, string corner, Func<int, string> rowLabel, Func<int, string> columnLabel, int maxRows)
    {
        int columns = rows.Count == 0 ? 0 : rows[0].Length;
        var headers = new List<string> { corner };
        headers.AddRange(Enumerable.Range(0, columns).Select(columnLabel));
        var table = new TextTable(title, headers);
        var shown = ShownRows(rows.Count, maxRows);
        var formats = new NumberColumn[columns];
        for (int j = 0; j < columns; j++)
        {
            formats[j] = NumberColumn.For(shown.Where(i => i >= 0).Select(i => rows[i][j]));
        }

        foreach (int i in shown)
        {
            table._rows.Add(i < 0
                ? [.. Enumerable.Repeat("…", columns + 1)]
                : [rowLabel(i), .. rows[i].Select((v, j) => formats[j].Format(v))]);
        }

        table.ElidedRows = rows.Count - shown.Count(i => i >= 0);
        table.TotalRows = rows.Count;
        return table;
    }

    /// <summary>Rows left out (when the table was built elided), and the rows there are in all.</summary>
    public int ElidedRows { get; private set; }

    public int TotalRows { get; private set; }

    /// <summary>The row indices to show: all, or the first and last with −1 standing for "…".</summary>
    public static List<int> ShownRows(int count, int maxRows)
    {
        if (count <= maxRows)
        {
            return [.. Enumerable.Range(0, count)];
        }

        int head = (maxRows - 1 + 1) / 2, tail = maxRows - 1 - head;
        return [.. Enumerable.Range(0, head), -1, .. Enumerable.Range(count - tail, tail)];
    }

    /// <summary>
    /// Writes the title, the table fitted to <paramref name="width"/> characters and <paramref name="maxRows"/> rows,
    /// and a note when anything was left out.
    /// </summary>
    public void WriteTo(TextWriter writer, int width, int maxRows)
    {
        if (_rows.Count > maxRows)
        {
            var shown = ShownRows(_rows.Count, maxRows);
            var rows = shown.Select(i => i < 0 ? [.. Enumerable.Repeat("…", headers.Count)] : _rows[i]).ToList();
            (ElidedRows, TotalRows) = (ElidedRows + _rows.Count - shown.Count(i => i >= 0), Math.Max(TotalRows, _rows.Count));
            _rows.Clear();
            _rows.AddRange(rows);
        }

        int n = headers.Count;
        var widths = new int[n];
        for (int j = 0; j < n; j++)
        {
            widths[j] = Math.Max(headers[j].Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[j].Length));
        }

        // Columns kept: the label column, then from both ends inwards while they fit (with room for "…").
        var keep = new List<int> { 0 };
        int used = widths[0];
        int front = 1, back = n - 1;
        var tailColumns = new List<int>();
        bool elided = false;
        while (front <= back)
        {
            bool fromFront = front - 1 <= n - 1 - back;
            int j = fromFront ? front : back;
            int reserve = front < back ? Gap.Length + 1 : 0;
            if (used + Gap.Length + widths[j] + reserve > width)
            {
                elided = true;
                break;
            }

            used += Gap.Length + widths[j];
            if (fromFront)
            {
                keep.Add(front++);
            }
            else
            {
                tailColumns.Insert(0, back--);
            }
        }

        var columns = new List<int>(keep);
        if (elided)
        {
            columns.Add(-1);
        }

        columns.AddRange(tailColumns);
        if (Title.Length > 0)
        {
            writer.WriteLine(Title);
        }

        writer.WriteLine(Line(headers, columns, widths));
        writer.WriteLine(string.Join(Gap, columns.Select(j => new string('─', j < 0 ? 1 : widths[j]))));
        foreach (var row in _rows)
        {
            writer.WriteLine(Line(row, columns, widths));
        }

        int shownColumns = columns.Count(j => j > 0);
        if (elided || ElidedRows > 0)
        {
            var what = new List<string>();
            if (ElidedRows > 0)
            {
                what.Add(string.Create(CultureInfo.InvariantCulture, $"{TotalRows - ElidedRows:N0} of {TotalRows:N0} rows"));
            }

            if (elided)
            {
                what.Add(string.Create(CultureInfo.InvariantCulture, $"{shownColumns} of {n - 1} columns"));
            }

            Wrap(writer, $"(showing {string.Join(" and ", what)}: --format json, or --output FILE, gives the full result)", width);
        }
    }

    /// <summary>Writes <paramref name="text"/> in lines of at most <paramref name="width"/> characters, broken at spaces.</summary>
    private static void Wrap(TextWriter writer, string text, int width)
    {
        var line = new StringBuilder();
        foreach (string word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                writer.WriteLine(line.ToString());
                line.Clear();
            }

            line.Append(line.Length > 0 ? " " : "").Append(word);
        }

        writer.WriteLine(line.ToString());
    }

    private static string Line(IReadOnlyList<string> cells, List<int> columns, int[] widths)
    {
        var line = new StringBuilder();
        foreach (int j in columns)
        {
            if (line.Length > 0)
            {
                line.Append(Gap);
            }

            line.Append(j < 0 ? "…" : j == 0 ? cells[j].PadRight(widths[j]) : cells[j].PadLeft(widths[j]));
        }

        return line.ToString().TrimEnd();
    }
}
