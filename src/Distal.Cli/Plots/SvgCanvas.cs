using System.Globalization;
using System.Security;
using System.Text;

namespace Distal.Cli.Plots;

/// <summary>Writes the drawing calls as SVG elements; text stays text, in the DejaVu Sans the PNG glyphs come from.</summary>
internal sealed class SvgCanvas : Canvas
{
    private static readonly int[] FontPixels = [11, 13, 15];

    private readonly StringBuilder _body = new();

    public SvgCanvas(int width, int height)
        : base(width, height)
    {
    }

    public override void FillRect(double x, double y, double width, double height, Rgb fill, string? role = null)
        => Append($"<rect{Role(role)} x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(width)}\" height=\"{N(height)}\" fill=\"{fill.Hex}\"/>");

    public override void Line(double x1, double y1, double x2, double y2, Rgb color, double width = 1, bool dashed = false)
        => Append($"<line x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\" stroke=\"{color.Hex}\" stroke-width=\"{N(width)}\"{(dashed ? " stroke-dasharray=\"7 5\"" : "")}/>");

    public override void Polyline(IReadOnlyList<(double X, double Y)> points, Rgb color, double width, string? role = null)
        => Append($"<polyline{Role(role)} points=\"{string.Join(' ', points.Select(p => $"{N(p.X)},{N(p.Y)}"))}\" fill=\"none\" stroke=\"{color.Hex}\" stroke-width=\"{N(width)}\"/>");

    public override void Circle(double cx, double cy, double radius, Rgb fill, Rgb? outline = null, string? role = null)
        => Append($"<circle{Role(role)} cx=\"{N(cx)}\" cy=\"{N(cy)}\" r=\"{N(radius)}\" fill=\"{fill.Hex}\"{(outline is { } o ? $" stroke=\"{o.Hex}\" stroke-width=\"1.2\"" : "")}/>");

    public override void Text(double x, double y, string text, TextSize size, TextAnchor anchor = TextAnchor.Start, Rgb? color = null, bool vertical = false)
    {
        string anchorName = anchor switch { TextAnchor.Middle => "middle", TextAnchor.End => "end", _ => "start" };
        string weight = size == TextSize.Title ? " font-weight=\"bold\"" : "";
        string rotate = vertical ? $" transform=\"rotate(-90 {N(x)} {N(y)})\"" : "";
        Append($"<text x=\"{N(x)}\" y=\"{N(y)}\" font-size=\"{FontPixels[(int)size]}\"{weight} text-anchor=\"{anchorName}\" fill=\"{(color ?? Rgb.Black).Hex}\"{rotate}>{SecurityElement.Escape(text)}</text>");
    }

    public override void WriteTo(Stream stream)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"DejaVu Sans, Verdana, sans-serif\">\n");
        text.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>\n");
        text.Append(_body).Append("</svg>\n");
        stream.Write(new UTF8Encoding(false).GetBytes(text.ToString()));
    }

    private void Append(string element) => _body.Append(element).Append('\n');

    private static string Role(string? role) => role is null ? "" : $" class=\"{role}\"";

    private static string N(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);
}
