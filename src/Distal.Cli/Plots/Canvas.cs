namespace Distal.Cli.Plots;

/// <summary>A colour, 8 bits per channel.</summary>
internal readonly record struct Rgb(byte R, byte G, byte B)
{
    public static readonly Rgb Black = new(0, 0, 0);
    public static readonly Rgb White = new(255, 255, 255);
    public static readonly Rgb Grey = new(110, 110, 110);
    public static readonly Rgb LightGrey = new(225, 225, 225);

    public string Hex => $"#{R:x2}{G:x2}{B:x2}";

    /// <summary>The colour <paramref name="t"/> of the way (0 … 1) from <paramref name="a"/> to <paramref name="b"/>.</summary>
    public static Rgb Mix(Rgb a, Rgb b, double t)
    {
        t = Math.Clamp(t, 0, 1);
        return new((byte)Math.Round(a.R + (b.R - a.R) * t), (byte)Math.Round(a.G + (b.G - a.G) * t), (byte)Math.Round(a.B + (b.B - a.B) * t));
    }
}

/// <summary>The three text sizes the charts use: tick labels, axis labels and legends, titles (bold).</summary>
internal enum TextSize
{
    Small,
    Normal,
    Title,
}

/// <summary>Where a text's anchor point is along its baseline.</summary>
internal enum TextAnchor
{
    Start,
    Middle,
    End,
}

/// <summary>
/// The few drawing operations the charts need, in pixels with y downwards. Two implementations draw the same calls:
/// <see cref="SvgCanvas"/> (vector, text as text) and <see cref="RasterCanvas"/> (PNG, text from the built-in glyphs), so
/// a PNG and an SVG of one chart show the same thing. <c>role</c> names an element in the SVG (class attribute) so
/// tests can count bars, points and cells; the raster ignores it.
/// </summary>
internal abstract class Canvas(int width, int height)
{
    public int Width { get; } = width;

    public int Height { get; } = height;

    public abstract void FillRect(double x, double y, double width, double height, Rgb fill, string? role = null);

    public abstract void Line(double x1, double y1, double x2, double y2, Rgb color, double width = 1, bool dashed = false);

    /// <summary>Connected line segments through <paramref name="points"/>.</summary>
    public virtual void Polyline(IReadOnlyList<(double X, double Y)> points, Rgb color, double width, string? role = null)
    {
        for (int i = 1; i < points.Count; i++)
        {
            Line(points[i - 1].X, points[i - 1].Y, points[i].X, points[i].Y, color, width);
        }
    }

    public abstract void Circle(double cx, double cy, double radius, Rgb fill, Rgb? outline = null, string? role = null);

    /// <summary>Text with its baseline at <paramref name="y"/>; vertical text reads upwards, anchored at (x, y) as if unrotated.</summary>
    public abstract void Text(double x, double y, string text, TextSize size, TextAnchor anchor = TextAnchor.Start, Rgb? color = null, bool vertical = false);

    /// <summary>Writes the picture to <paramref name="stream"/>.</summary>
    public abstract void WriteTo(Stream stream);

    /// <summary>An outline of a rectangle, as four lines.</summary>
    public void StrokeRect(double x, double y, double width, double height, Rgb color, double lineWidth = 1)
    {
        Line(x, y, x + width, y, color, lineWidth);
        Line(x + width, y, x + width, y + height, color, lineWidth);
        Line(x + width, y + height, x, y + height, color, lineWidth);
        Line(x, y + height, x, y, color, lineWidth);
    }

    /// <summary>The width of <paramref name="text"/> in pixels (the built-in glyphs' advances; the SVG uses the same font).</summary>
    public static double TextWidth(string text, TextSize size) => GlyphAtlas.Instance.Face(size).Measure(text);

    /// <summary>The height of capital letters above the baseline, for centring text vertically.</summary>
    public static double CapHeight(TextSize size) => GlyphAtlas.Instance.Face(size).CapHeight;
}
