using System.Globalization;

namespace Distal.Cli.Plots;

/// <summary>
/// A plot area on a canvas with linear x and y scales: maps data to pixels and draws the frame, grid, ticks, axis
/// labels and title the way every chart here shares.
/// </summary>
internal sealed class Axes(Canvas canvas, double left, double top, double right, double bottom)
{
    public Canvas Canvas { get; } = canvas;

    public double Left { get; } = left;

    public double Top { get; } = top;

    public double Right { get; } = right;

    public double Bottom { get; } = bottom;

    public (double Min, double Max) XRange { get; set; } = (0, 1);

    public (double Min, double Max) YRange { get; set; } = (0, 1);

    public double X(double value) => Left + (value - XRange.Min) / (XRange.Max - XRange.Min) * (Right - Left);

    public double Y(double value) => Bottom - (value - YRange.Min) / (YRange.Max - YRange.Min) * (Bottom - Top);

    /// <summary>Draws the title above the area and the axis labels below and left of it.</summary>
    public void Labels(string title, string xLabel, string yLabel)
    {
        Canvas.Text((Left + Right) / 2, Top - 14, title, TextSize.Title, TextAnchor.Middle);
        Canvas.Text((Left + Right) / 2, Bottom + 40, xLabel, TextSize.Normal, TextAnchor.Middle);
        Canvas.Text(Left - 52, (Top + Bottom) / 2, yLabel, TextSize.Normal, TextAnchor.Middle, vertical: true);
    }

    /// <summary>Horizontal grid lines and labelled ticks at <paramref name="ticks"/> on the y axis.</summary>
    public void YTicks(IReadOnlyList<double> ticks, Func<double, string> label)
    {
        foreach (double t in ticks)
        {
            double y = Y(t);
            Canvas.Line(Left, y, Right, y, Rgb.LightGrey);
            Canvas.Line(Left - 4, y, Left, y, Rgb.Black);
            Canvas.Text(Left - 7, y + Canvas.CapHeight(TextSize.Small) / 2, label(t), TextSize.Small, TextAnchor.End);
        }
    }

    /// <summary>Vertical grid lines and labelled ticks at <paramref name="ticks"/> on the x axis.</summary>
    public void XTicks(IReadOnlyList<double> ticks, Func<double, string> label, bool grid = true)
    {
        foreach (double t in ticks)
        {
            double x = X(t);
            if (grid)
            {
                Canvas.Line(x, Top, x, Bottom, Rgb.LightGrey);
            }

            Canvas.Line(x, Bottom, x, Bottom + 4, Rgb.Black);
            Canvas.Text(x, Bottom + 17, label(t), TextSize.Small, TextAnchor.Middle);
        }
    }

    /// <summary>The frame around the area (drawn last, over the data).</summary>
    public void Frame() => Canvas.StrokeRect(Left, Top, Right - Left, Bottom - Top, Rgb.Black);

    /// <summary>
    /// About <paramref name="count"/> round tick values (1, 2 or 5 times a power of ten apart) covering [min, max], and
    /// the range widened to the outer ticks.
    /// </summary>
    public static (double[] Ticks, double Min, double Max) NiceTicks(double min, double max, int count = 6)
    {
        if (!(max > min))
        {
            double pad = min == 0 ? 1 : Math.Abs(min) * 0.1;
            (min, max) = (min - pad, max + pad);
        }

        double raw = (max - min) / Math.Max(1, count - 1);
        double power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = power * (raw / power <= 1 ? 1 : raw / power <= 2 ? 2 : raw / power <= 5 ? 5 : 10);
        double first = Math.Floor(min / step) * step, last = Math.Ceiling(max / step) * step;
        int n = (int)Math.Round((last - first) / step);
        var ticks = new double[n + 1];
        for (int i = 0; i <= n; i++)
        {
            ticks[i] = Math.Round((first + i * step) / step) * step;
        }

        return (ticks, first, last);
    }

    /// <summary>A tick label: short, without a trailing ".0", in scientific notation only for very large or small values.</summary>
    public static string TickLabel(double value)
    {
        double magnitude = Math.Abs(value);
        return magnitude != 0 && (magnitude >= 1e6 || magnitude < 1e-3)
            ? value.ToString("0.##E+0", CultureInfo.InvariantCulture)
            : value.ToString("0.####", CultureInfo.InvariantCulture);
    }
}
