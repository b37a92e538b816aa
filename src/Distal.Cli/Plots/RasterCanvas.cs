namespace Distal.Cli.Plots;

/// <summary>
/// Draws into 8-bit RGB pixels and writes a PNG. Edges are anti-aliased by exact coverage (rectangles) or by the
/// distance to the shape (lines as capsules, circles), text comes from <see cref="GlyphAtlas"/>: no native library.
/// </summary>
internal sealed class RasterCanvas : Canvas
{
    private readonly byte[] _rgb;

    public RasterCanvas(int width, int height)
        : base(width, height)
    {
        _rgb = new byte[width * height * 3];
        Array.Fill(_rgb, (byte)255);
    }

    /// <summary>The pixel at (x, y), for tests.</summary>
    public Rgb Pixel(int x, int y) => new(_rgb[(y * Width + x) * 3], _rgb[(y * Width + x) * 3 + 1], _rgb[(y * Width + x) * 3 + 2]);

    public override void FillRect(double x, double y, double width, double height, Rgb fill, string? role = null)
    {
        int x0 = Math.Max(0, (int)Math.Floor(x)), x1 = Math.Min(Width, (int)Math.Ceiling(x + width));
        int y0 = Math.Max(0, (int)Math.Floor(y)), y1 = Math.Min(Height, (int)Math.Ceiling(y + height));
        for (int py = y0; py < y1; py++)
        {
            double cy = Overlap(py, y, y + height);
            for (int px = x0; px < x1; px++)
            {
                Blend(px, py, fill, cy * Overlap(px, x, x + width));
            }
        }
    }

    public override void Line(double x1, double y1, double x2, double y2, Rgb color, double width = 1, bool dashed = false)
    {
        if (!dashed)
        {
            Capsule(x1, y1, x2, y2, color, width / 2);
            return;
        }

        double length = Math.Sqrt((x2 - x1) * (x2 - x1) + (y2 - y1) * (y2 - y1));
        const double On = 7, Off = 5;
        for (double s = 0; s < length; s += On + Off)
        {
            double e = Math.Min(length, s + On);
            Capsule(x1 + (x2 - x1) * s / length, y1 + (y2 - y1) * s / length, x1 + (x2 - x1) * e / length, y1 + (y2 - y1) * e / length, color, width / 2);
        }
    }

    public override void Circle(double cx, double cy, double radius, Rgb fill, Rgb? outline = null, string? role = null)
    {
        double reach = radius + 1.5;
        for (int py = Math.Max(0, (int)(cy - reach)); py <= Math.Min(Height - 1, (int)(cy + reach)); py++)
        {
            for (int px = Math.Max(0, (int)(cx - reach)); px <= Math.Min(Width - 1, (int)(cx + reach)); px++)
            {
                double d = Math.Sqrt((px + 0.5 - cx) * (px + 0.5 - cx) + (py + 0.5 - cy) * (py + 0.5 - cy));
                Blend(px, py, fill, Math.Clamp(radius + 0.5 - d, 0, 1));
                if (outline is { } o)
                {
                    Blend(px, py, o, Math.Clamp(1.1 - Math.Abs(d - radius), 0, 1));
                }
            }
        }
    }

    public override void Text(double x, double y, string text, TextSize size, TextAnchor anchor = TextAnchor.Start, Rgb? color = null, bool vertical = false)
    {
        var face = GlyphAtlas.Instance.Face(size);
        double width = face.Measure(text);
        double pen = anchor switch { TextAnchor.Middle => -width / 2, TextAnchor.End => -width, _ => 0 };
        var ink = color ?? Rgb.Black;
        int ax = (int)Math.Round(x), ay = (int)Math.Round(y);
        foreach (char c in text)
        {
            var glyph = face[c];
            var coverage = glyph.Coverage.Span;
            int left = (int)Math.Round(pen) + glyph.Left;
            for (int j = 0; j < glyph.Height; j++)
            {
                for (int i = 0; i < glyph.Width; i++)
                {
                    // (dx, dy) from the anchor as if horizontal; vertical text turns it a quarter to read upwards.
                    int dx = left + i, dy = j - glyph.Top;
                    int px = vertical ? ax + dy : ax + dx, py = vertical ? ay - dx : ay + dy;
                    if ((uint)px < (uint)Width && (uint)py < (uint)Height)
                    {
                        Blend(px, py, ink, coverage[j * glyph.Width + i] / 255.0);
                    }
                }
            }

            pen += glyph.Advance;
        }
    }

    public override void WriteTo(Stream stream) => PngWriter.Write(stream, _rgb, Width, Height);

    /// <summary>A segment with round ends and half-width <paramref name="half"/>, anti-aliased by distance.</summary>
    private void Capsule(double x1, double y1, double x2, double y2, Rgb color, double half)
    {
        double reach = half + 1;
        int px0 = Math.Max(0, (int)Math.Floor(Math.Min(x1, x2) - reach)), px1 = Math.Min(Width - 1, (int)Math.Ceiling(Math.Max(x1, x2) + reach));
        int py0 = Math.Max(0, (int)Math.Floor(Math.Min(y1, y2) - reach)), py1 = Math.Min(Height - 1, (int)Math.Ceiling(Math.Max(y1, y2) + reach));
        double vx = x2 - x1, vy = y2 - y1, length2 = vx * vx + vy * vy;
        for (int py = py0; py <= py1; py++)
        {
            for (int px = px0; px <= px1; px++)
            {
                double qx = px + 0.5 - x1, qy = py + 0.5 - y1;
                double t = length2 == 0 ? 0 : Math.Clamp((qx * vx + qy * vy) / length2, 0, 1);
                double ex = qx - t * vx, ey = qy - t * vy;
                Blend(px, py, color, Math.Clamp(half + 0.5 - Math.Sqrt(ex * ex + ey * ey), 0, 1));
            }
        }
    }

    private static double Overlap(int pixel, double from, double to) => Math.Clamp(Math.Min(pixel + 1, to) - Math.Max(pixel, from), 0, 1);

    private void Blend(int x, int y, Rgb color, double alpha)
    {
        if (alpha <= 0 || (uint)x >= (uint)Width || (uint)y >= (uint)Height)
        {
            return;
        }

        int at = (y * Width + x) * 3;
        _rgb[at] = (byte)Math.Round(_rgb[at] + (color.R - _rgb[at]) * alpha);
        _rgb[at + 1] = (byte)Math.Round(_rgb[at + 1] + (color.G - _rgb[at + 1]) * alpha);
        _rgb[at + 2] = (byte)Math.Round(_rgb[at + 2] + (color.B - _rgb[at + 2]) * alpha);
    }
}
