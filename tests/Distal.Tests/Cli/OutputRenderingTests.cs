using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.RegularExpressions;
using Distal.Cli.Output;
using Distal.Cli.Plots;

namespace Distal.Tests.Cli;

/// <summary>The table renderer, the number formats, the PNG writer and the SVG charts, in process (no child process).</summary>
public sealed class OutputRenderingTests
{
    [Theory]
    [InlineData(null, true, true)]
    [InlineData(null, false, false)]
    [InlineData("json", true, false)]
    [InlineData("table", false, true)]
    public void Table_is_the_default_on_a_terminal_only_and_format_overrides_it(string? format, bool terminal, bool table)
        => Assert.Equal(table, Presentation.ResolveTable(format, terminal));

    [Fact]
    public void A_bad_format_or_plot_extension_is_a_usage_error()
    {
        Assert.Equal(FailureKind.Usage, Assert.Throws<DistalException>(() => Presentation.ResolveTable("xml", true)).Kind);
        Assert.Equal(FailureKind.Usage, Assert.Throws<DistalException>(() => Presentation.CheckPlotPath("picture.jpg")).Kind);
        Assert.Equal("a.SVG", Presentation.CheckPlotPath("a.SVG"));
    }

    [Fact]
    public void A_matrix_larger_than_the_screen_keeps_its_corners_and_says_how_to_get_the_rest()
    {
        var rows = Enumerable.Range(0, 100).Select(i => Enumerable.Range(0, 50).Select(j => i * 1000.0 + j).ToArray()).ToList();
        var table = TextTable.Matrix("big", rows, "", i => $"r{i}", j => $"x{j}", maxRows: 10);
        var text = new StringWriter();
        table.WriteTo(text, width: 80, maxRows: 10);
        string[] lines = text.ToString().TrimEnd('\n').Split('\n');

        Assert.All(lines, l => Assert.True(l.Length <= 80, $"line of {l.Length} characters: {l}"));
        Assert.Equal("big", lines[0]);
        string[] header = Regex.Split(lines[1].Trim(), " +");
        Assert.Equal("x0", header[0]);
        Assert.Equal("x49", header[^1]);
        Assert.Contains("…", header);

        // Title, header, rule, 10 rows (5 first, "…", 4 last), the note on two lines.
        Assert.Equal(15, lines.Length);
        Assert.StartsWith("r0 ", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("r4 ", lines[7], StringComparison.Ordinal);
        Assert.StartsWith("…", lines[8], StringComparison.Ordinal);
        Assert.StartsWith("r99 ", lines[12], StringComparison.Ordinal);
        Assert.EndsWith("99049", lines[12], StringComparison.Ordinal);
        int shownColumns = header.Length - 1;
        Assert.Equal($"(showing 9 of 100 rows and {shownColumns} of 50 columns: --format json, or --output FILE, gives the full result)", lines[13] + " " + lines[14]);
    }

    [Fact]
    public void A_table_that_fits_is_not_elided_and_has_no_note()
    {
        var table = TextTable.Matrix("small", [[1.0, 2.0], [3.0, 4.0]], "", i => $"r{i}", j => $"x{j}", maxRows: 10);
        var text = new StringWriter();
        table.WriteTo(text, width: 80, maxRows: 10);
        Assert.Equal(["small", "    x0  x1", "──  ──  ──", "r0   1   2", "r1   3   4"], text.ToString().TrimEnd('\n').Split('\n').Select(l => l.TrimEnd()).ToArray());
    }

    [Fact]
    public void Plain_tables_longer_than_the_screen_are_elided_too()
    {
        var table = new TextTable("classes", ["class", "rows"]);
        for (int c = 0; c < 1000; c++)
        {
            table.Add(c.ToString(System.Globalization.CultureInfo.InvariantCulture), "1");
        }

        var text = new StringWriter();
        table.WriteTo(text, width: 120, maxRows: 12);
        string[] lines = text.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal(3 + 12 + 1, lines.Length);
        Assert.StartsWith("999", lines[^2], StringComparison.Ordinal);
        Assert.Equal("(showing 11 of 1,000 rows: --format json, or --output FILE, gives the full result)", lines[^1]);
    }

    [Fact]
    public void Numbers_of_one_column_share_their_decimals_so_points_align()
    {
        var column = NumberColumn.For([1234.5678, 0.001, -2, 0]);
        string[] cells = [column.Format(1234.5678), column.Format(0.001), column.Format(-2), column.Format(-0.00001)];
        Assert.Equal(["1234.57", "0.00", "-2.00", "0.00"], cells);

        var large = NumberColumn.For([3e9, 1.5]);
        Assert.Equal("3.00000e+09", large.Format(3e9));
        Assert.Equal("1.50000e+00", large.Format(1.5));
        Assert.Equal("NaN", large.Format(double.NaN));
        Assert.Equal("0.000000", NumberColumn.For([0.5]).Format(0));
    }

    [Fact]
    public void The_png_writer_writes_a_valid_file_with_the_pixels_drawn()
    {
        var canvas = new RasterCanvas(40, 30);
        canvas.FillRect(10, 5, 10, 10, new Rgb(200, 10, 20));
        canvas.Text(2, 28, "Ag", TextSize.Normal);
        Assert.Equal(new Rgb(200, 10, 20), canvas.Pixel(15, 10));
        Assert.Equal(Rgb.White, canvas.Pixel(30, 10));

        var stream = new MemoryStream();
        canvas.WriteTo(stream);
        byte[] png = stream.ToArray();
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var chunks = PngChunks(png);
        Assert.Equal(["IHDR", "IDAT", "IEND"], chunks.Select(c => c.Type).ToArray());
        Assert.Equal(40, BinaryPrimitives.ReadInt32BigEndian(chunks[0].Data));
        Assert.Equal(30, BinaryPrimitives.ReadInt32BigEndian(chunks[0].Data.AsSpan(4)));

        using var pixels = new MemoryStream();
        using (var zlib = new ZLibStream(new MemoryStream(chunks[1].Data), CompressionMode.Decompress))
        {
            zlib.CopyTo(pixels);
        }

        byte[] raw = pixels.ToArray();
        Assert.Equal(30 * (1 + 40 * 3), raw.Length);
        int at = 10 * (1 + 40 * 3) + 1 + 15 * 3;
        Assert.Equal(new byte[] { 200, 10, 20 }, raw[at..(at + 3)]);

        // The text left ink below the rectangle: the glyphs are in the build.
        bool ink = false;
        for (int y = 16; y < 30; y++)
        {
            for (int x = 0; x < 20; x++)
            {
                ink |= canvas.Pixel(x, y).R < 128;
            }
        }

        Assert.True(ink, "no text was drawn");
    }

    [Fact]
    public void The_scree_svg_has_one_bar_and_one_cumulative_point_per_component()
    {
        string svg = Svg(c => Charts.Scree(c, [0.6, 0.25, 0.1, 0.05], "note"));
        Assert.Equal(4, Count(svg, "class=\"bar\""));
        Assert.Equal(4, Count(svg, "class=\"cumulative-point\""));
        Assert.Contains(">60.0%<", svg, StringComparison.Ordinal);
        Assert.Contains(">PC4<", svg, StringComparison.Ordinal);
        Assert.Contains(">share of the total variance<", svg, StringComparison.Ordinal);

        // The bars' heights are proportional to the shares (the axis spans 0–100%).
        var heights = Regex.Matches(svg, "class=\"bar\"[^>]* height=\"([0-9.]+)\"").Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(0.6 / 0.25, heights[0] / heights[1], 2);
    }

    [Fact]
    public void The_heat_map_svg_has_p_squared_cells_labels_and_a_colour_bar()
    {
        var correlation = new double[,] { { 1, -0.5, 0 }, { -0.5, 1, 0.9 }, { 0, 0.9, 1 } };
        string svg = Svg(c => Charts.Heatmap(c, correlation, "Correlation matrix"));
        Assert.Equal(9, Count(svg, "class=\"cell\""));
        Assert.Equal(2, Count(svg, ">x2<"));
        Assert.Contains(">-0.50<", svg, StringComparison.Ordinal);
        Assert.Contains(">correlation<", svg, StringComparison.Ordinal);
        Assert.Contains($"fill=\"{Charts.Diverging(1).Hex}\"", svg, StringComparison.Ordinal);
        Assert.Equal(Rgb.White, Charts.Diverging(0));
    }

    [Fact]
    public void The_cluster_svg_draws_every_sampled_point_and_every_centroid()
    {
        var picture = new ClusterPicture([0, 1, 2, 3, 4], [1, 1, 2, 2, 3], [0, 0, 1, 1, 2], [0.5, 2.5, 4], [1, 2, 3], [2, 2, 1], "PC1", "PC2", "all 5 rows");
        string svg = Svg(c => Charts.Clusters(c, picture));
        Assert.Equal(5, Count(svg, "class=\"point\""));
        Assert.Equal(3, Count(svg, "class=\"centroid\""));
        Assert.Contains(">cluster 2 (1)<", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void The_regression_svg_has_the_points_the_identity_line_and_r_squared()
    {
        var picture = new RegressionPicture([1, 2, 3], [1.1, 1.9, 3.2], [0, 0, 0], [0.98], "all 3 rows");
        string svg = Svg(c => Charts.PredictedVsActual(c, picture));
        Assert.Equal(3, Count(svg, "class=\"point\""));
        Assert.Contains("stroke-dasharray", svg, StringComparison.Ordinal);
        Assert.Contains("R² = 0.9800", svg, StringComparison.Ordinal);
    }

    private static string Svg(Action<Canvas> draw)
    {
        var canvas = new SvgCanvas(800, 560);
        draw(canvas);
        var stream = new MemoryStream();
        canvas.WriteTo(stream);
        string svg = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"", svg, StringComparison.Ordinal);
        Assert.EndsWith("</svg>\n", svg, StringComparison.Ordinal);
        System.Xml.Linq.XDocument.Parse(svg);
        return svg;
    }

    private static int Count(string text, string what) => Regex.Matches(text, Regex.Escape(what)).Count;

    /// <summary>The chunks of a PNG file, each checked against its CRC.</summary>
    internal static List<(string Type, byte[] Data)> PngChunks(byte[] png)
    {
        var chunks = new List<(string, byte[])>();
        for (int at = 8; at < png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            string type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            byte[] data = png[(at + 8)..(at + 8 + length)];
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length));
            Assert.Equal(Crc32(png.AsSpan(at + 4, 4 + length)), crc);
            chunks.Add((type, data));
            at += 12 + length;
        }

        return chunks;
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        // Bit by bit, independent of the writer's table.
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
            }
        }

        return ~crc;
    }
}
