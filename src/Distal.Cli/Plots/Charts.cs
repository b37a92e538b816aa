using System.Globalization;

namespace Distal.Cli.Plots;

/// <summary>
/// The four pictures `--plot` draws. Each takes data already reduced to what it shows (eigenvalue shares, a bounded
/// sample of rows, a p×p matrix) and draws on any <see cref="Canvas"/>.
/// </summary>
internal static class Charts
{
    /// <summary>Distinct colours for clusters and responses (Tableau's ten), repeated past ten.</summary>
    private static readonly Rgb[] Palette =
    [
        new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40), new(148, 103, 189),
        new(140, 86, 75), new(227, 119, 194), new(127, 127, 127), new(188, 189, 34), new(23, 190, 207),
    ];

    private static readonly Rgb BarColor = new(31, 119, 180);
    private static readonly Rgb LineColor = new(214, 39, 40);

    public static Rgb ColorOf(int index) => Palette[index % Palette.Length];

    /// <summary>
    /// Scree plot: one bar per component with its share of the total variance, and the cumulative share as a line,
    /// both in percent.
    /// </summary>
    public static void Scree(Canvas canvas, IReadOnlyList<double> shares, string note)
    {
        var axes = new Axes(canvas, 80, 60, canvas.Width - 30, canvas.Height - 80);
        int k = shares.Count;
        axes.XRange = (0.4, k + 0.6);
        axes.YRange = (0, 100);
        axes.YTicks([0, 20, 40, 60, 80, 100], t => $"{t:0}%");
        int every = Math.Max(1, (int)Math.Ceiling(k / 20.0));
        axes.XTicks([.. Enumerable.Range(1, k).Where(i => (i - 1) % every == 0).Select(i => (double)i)], t => $"PC{t:0}", grid: false);
        double barWidth = (axes.X(1) - axes.X(0)) * 0.7;
        var cumulative = new List<(double X, double Y)>(k);
        double sum = 0;
        for (int i = 0; i < k; i++)
        {
            double share = 100 * shares[i];
            sum += share;
            double x = axes.X(i + 1);
            canvas.FillRect(x - barWidth / 2, axes.Y(share), barWidth, axes.Y(0) - axes.Y(share), BarColor, "bar");
            if (k <= 12)
            {
                // Inside a tall bar (white), above a short one: the first cumulative point sits on the first bar's top.
                string label = share.ToString("0.0", CultureInfo.InvariantCulture) + "%";
                bool inside = axes.Y(0) - axes.Y(share) > 24;
                canvas.Text(x, axes.Y(share) + (inside ? 16 : -4), label, TextSize.Small, TextAnchor.Middle, inside ? Rgb.White : Rgb.Black);
            }

            cumulative.Add((x, axes.Y(Math.Min(sum, 100))));
        }

        canvas.Polyline(cumulative, LineColor, 2, "cumulative");
        foreach (var (x, y) in cumulative)
        {
            canvas.Circle(x, y, 3.5, LineColor, role: "cumulative-point");
        }

        axes.Frame();
        axes.Labels("PCA: explained variance", "principal component", "share of the total variance");
        // Middle right: the bars are low there and the cumulative line high, so the legend hides neither.
        Legend(canvas, axes.Right - 190, axes.Top + 0.35 * (axes.Bottom - axes.Top), [("explained variance", BarColor, LegendMark.Box), ("cumulative", LineColor, LegendMark.Line)]);
        canvas.Text(axes.Left, canvas.Height - 12, note, TextSize.Small, color: Rgb.Grey);
    }

    /// <summary>
    /// Rows of a k-means result on the data's first two principal components, coloured by cluster, with the
    /// centroids as large outlined crosses.
    /// </summary>
    public static void Clusters(Canvas canvas, ClusterPicture picture)
    {
        var axes = ScatterAxes(canvas, Range(picture.X, picture.CentroidX), Range(picture.Y, picture.CentroidY));
        Points(canvas, axes, picture.X, picture.Y, picture.Cluster);

        for (int c = 0; c < picture.CentroidX.Length; c++)
        {
            Cross(canvas, axes.X(picture.CentroidX[c]), axes.Y(picture.CentroidY[c]), ColorOf(c), "centroid");
        }

        axes.Frame();
        axes.Labels($"k-means: {picture.CentroidX.Length} clusters on the first two principal components", picture.XLabel, picture.YLabel);
        var entries = new List<(string, Rgb, LegendMark)>();
        int shown = Math.Min(picture.CentroidX.Length, 20);
        for (int c = 0; c < shown; c++)
        {
            entries.Add(($"cluster {c} ({picture.Sizes[c].ToString("N0", CultureInfo.InvariantCulture)})", ColorOf(c), LegendMark.Dot));
        }

        if (shown < picture.CentroidX.Length)
        {
            entries.Add(($"… {picture.CentroidX.Length - shown} more", Rgb.Grey, LegendMark.None));
        }

        entries.Add(("centroid", Rgb.Black, LegendMark.Cross));
        Legend(canvas, axes.Right + 14, axes.Top + 4, entries);
        canvas.Text(axes.Left, canvas.Height - 12, picture.Note, TextSize.Small, color: Rgb.Grey);
    }

    /// <summary>
    /// Heat map of a correlation matrix (−1 blue, 0 white, +1 red) with the columns labelled on both axes, the values
    /// in the cells when they fit, and a colour bar.
    /// </summary>
    public static void Heatmap(Canvas canvas, double[,] correlation, string title)
    {
        int p = correlation.GetLength(0);
        double size = Math.Min(canvas.Width - 200, canvas.Height - 130);
        double left = 80, top = 60, cell = size / p;
        int every = Math.Max(1, (int)Math.Ceiling(14 / cell));
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                double v = correlation[i, j];
                canvas.FillRect(left + j * cell, top + i * cell, cell, cell, Diverging(v), "cell");
                if (cell >= 34)
                {
                    canvas.Text(left + (j + 0.5) * cell, top + (i + 0.5) * cell + Canvas.CapHeight(TextSize.Small) / 2, Cell(v), TextSize.Small, TextAnchor.Middle, Math.Abs(v) > 0.6 ? Rgb.White : Rgb.Black);
                }
            }

            if (i % every == 0)
            {
                string name = $"x{i}";
                canvas.Text(left - 6, top + (i + 0.5) * cell + Canvas.CapHeight(TextSize.Small) / 2, name, TextSize.Small, TextAnchor.End);
                canvas.Text(left + (i + 0.5) * cell, top + size + 16, name, TextSize.Small, TextAnchor.Middle);
            }
        }

        canvas.StrokeRect(left, top, size, size, Rgb.Black);
        canvas.Text(left + size / 2, top - 14, title, TextSize.Title, TextAnchor.Middle);
        canvas.Text(left + size / 2, top + size + 38, "column", TextSize.Normal, TextAnchor.Middle);
        canvas.Text(left - 48, top + size / 2, "column", TextSize.Normal, TextAnchor.Middle, vertical: true);

        // The colour bar: +1 at the top, −1 at the bottom.
        double barLeft = left + size + 30, barWidth = 18;
        const int Steps = 100;
        for (int s = 0; s < Steps; s++)
        {
            canvas.FillRect(barLeft, top + s * size / Steps, barWidth, size / Steps + 0.5, Diverging(1 - 2.0 * (s + 0.5) / Steps));
        }

        canvas.StrokeRect(barLeft, top, barWidth, size, Rgb.Black);
        foreach (double t in (double[])[-1, -0.5, 0, 0.5, 1])
        {
            double y = top + (1 - t) / 2 * size;
            canvas.Line(barLeft + barWidth, y, barLeft + barWidth + 4, y, Rgb.Black);
            canvas.Text(barLeft + barWidth + 7, y + Canvas.CapHeight(TextSize.Small) / 2, t.ToString("0.0", CultureInfo.InvariantCulture), TextSize.Small);
        }

        canvas.Text(barLeft + barWidth + 44, top + size / 2, "correlation", TextSize.Normal, TextAnchor.Middle, vertical: true);
    }

    /// <summary>Predicted against actual values on the training rows (a bounded sample), one colour per response, with y = x.</summary>
    public static void PredictedVsActual(Canvas canvas, RegressionPicture picture)
    {
        // One range for both axes, so y = x is the diagonal.
        var range = Range(picture.Actual, picture.Predicted);
        var axes = ScatterAxes(canvas, range, range);
        Points(canvas, axes, picture.Actual, picture.Predicted, picture.Response);
        var (lo, hi) = axes.XRange;
        canvas.Line(axes.X(lo), axes.Y(lo), axes.X(hi), axes.Y(hi), Rgb.Black, 1.5, dashed: true);
        axes.Frame();
        string r2 = picture.RSquared.Length == 1 ? $", R² = {picture.RSquared[0].ToString("0.0000", CultureInfo.InvariantCulture)}" : "";
        axes.Labels($"Regression on the training data{r2}", "actual", "predicted");
        var entries = new List<(string, Rgb, LegendMark)>();
        for (int r = 0; r < Math.Min(picture.RSquared.Length, 10); r++)
        {
            entries.Add(($"response {r}: R² {picture.RSquared[r].ToString("0.0000", CultureInfo.InvariantCulture)}", ColorOf(r), LegendMark.Dot));
        }

        entries.Add(("y = x", Rgb.Black, LegendMark.Dash));
        Legend(canvas, axes.Right + 14, axes.Top + 4, entries);
        canvas.Text(axes.Left, canvas.Height - 12, picture.Note, TextSize.Small, color: Rgb.Grey);
    }

    /// <summary>A cell's value with two decimals; "-0.00" prints as "0.00".</summary>
    private static string Cell(double value)
    {
        string text = value.ToString("0.00", CultureInfo.InvariantCulture);
        return text == "-0.00" ? "0.00" : text;
    }

    /// <summary>The scatter plots' area (room on the right for the legend), both axes ticked over their ranges.</summary>
    private static Axes ScatterAxes(Canvas canvas, (double Min, double Max) x, (double Min, double Max) y)
    {
        var axes = new Axes(canvas, 80, 60, canvas.Width - 190, canvas.Height - 80);
        var (xTicks, xMin, xMax) = Axes.NiceTicks(x.Min, x.Max);
        var (yTicks, yMin, yMax) = Axes.NiceTicks(y.Min, y.Max);
        axes.XRange = (xMin, xMax);
        axes.YRange = (yMin, yMax);
        axes.YTicks(yTicks, Axes.TickLabel);
        axes.XTicks(xTicks, Axes.TickLabel);
        return axes;
    }

    /// <summary>The smallest and largest of both sets (0 … 0 when both are empty).</summary>
    private static (double Min, double Max) Range(double[] a, double[] b)
        => (Math.Min(a.DefaultIfEmpty(0).Min(), b.DefaultIfEmpty(0).Min()), Math.Max(a.DefaultIfEmpty(0).Max(), b.DefaultIfEmpty(0).Max()));

    /// <summary>One dot per point, coloured by its group; smaller dots when there are many.</summary>
    private static void Points(Canvas canvas, Axes axes, double[] x, double[] y, int[] group)
    {
        double radius = x.Length > 2000 ? 1.6 : 2.4;
        for (int i = 0; i < x.Length; i++)
        {
            canvas.Circle(axes.X(x[i]), axes.Y(y[i]), radius, ColorOf(group[i]), role: "point");
        }
    }

    /// <summary>−1 → blue, 0 → white, +1 → red.</summary>
    public static Rgb Diverging(double value)
    {
        var blue = new Rgb(33, 102, 172);
        var red = new Rgb(178, 24, 43);
        return double.IsNaN(value) ? Rgb.LightGrey : value < 0 ? Rgb.Mix(Rgb.White, blue, -value) : Rgb.Mix(Rgb.White, red, value);
    }

    private static void Cross(Canvas canvas, double x, double y, Rgb color, string role)
    {
        // A white halo under a black-edged coloured cross keeps the centroid visible over its own points.
        canvas.Circle(x, y, 9, Rgb.White, Rgb.Black, role);
        canvas.Line(x - 6, y - 6, x + 6, y + 6, color, 3.5);
        canvas.Line(x - 6, y + 6, x + 6, y - 6, color, 3.5);
    }

    private enum LegendMark
    {
        None,
        Box,
        Line,
        Dash,
        Dot,
        Cross,
    }

    private static void Legend(Canvas canvas, double x, double y, IReadOnlyList<(string Text, Rgb Color, LegendMark Mark)> entries)
    {
        const double Row = 19;
        double width = 34 + entries.Max(e => Canvas.TextWidth(e.Text, TextSize.Normal));

        // A long label (two responses' R², a six-digit cluster size) would run past the picture's edge: move the box
        // left until it fits, over the plot's margin if need be.
        x = Math.Max(0, Math.Min(x, canvas.Width - width - 4));
        canvas.FillRect(x, y, width, entries.Count * Row + 8, Rgb.White);
        canvas.StrokeRect(x, y, width, entries.Count * Row + 8, Rgb.LightGrey);
        for (int i = 0; i < entries.Count; i++)
        {
            var (text, color, mark) = entries[i];
            double cy = y + 4 + (i + 0.5) * Row;
            switch (mark)
            {
                case LegendMark.Box:
                    canvas.FillRect(x + 8, cy - 6, 14, 12, color);
                    break;
                case LegendMark.Line:
                    canvas.Line(x + 6, cy, x + 24, cy, color, 2);
                    canvas.Circle(x + 15, cy, 3.5, color);
                    break;
                case LegendMark.Dash:
                    canvas.Line(x + 6, cy, x + 24, cy, color, 1.5, dashed: true);
                    break;
                case LegendMark.Dot:
                    canvas.Circle(x + 15, cy, 4, color);
                    break;
                case LegendMark.Cross:
                    canvas.Line(x + 10, cy - 5, x + 20, cy + 5, color, 2.5);
                    canvas.Line(x + 10, cy + 5, x + 20, cy - 5, color, 2.5);
                    break;
                default:
                    break;
            }

            canvas.Text(x + 30, cy + Canvas.CapHeight(TextSize.Normal) / 2, text, TextSize.Normal);
        }
    }
}

/// <summary>What the k-means picture shows: sampled rows projected on two components, their clusters, the projected centroids.</summary>
internal sealed record ClusterPicture(double[] X, double[] Y, int[] Cluster, double[] CentroidX, double[] CentroidY, long[] Sizes, string XLabel, string YLabel, string Note);

/// <summary>What the regression picture shows: sampled (actual, predicted) pairs, the response of each, and R² per response.</summary>
internal sealed record RegressionPicture(double[] Actual, double[] Predicted, int[] Response, double[] RSquared, string Note);
