using System.Globalization;

namespace Distal.Cli.Output;

/// <summary>
/// One format per table column, so decimal points line up: whole numbers without decimals; fixed point with six significant digits for the column's
/// largest magnitude when that lies in [1e-3, 1e7), else scientific notation with six significant digits.
/// </summary>
internal readonly struct NumberColumn
{
    private readonly string _format;

    private NumberColumn(string format) => _format = format;

    public static NumberColumn For(IEnumerable<double> values)
    {
        double largest = 0;
        bool integers = true;
        foreach (double v in values)
        {
            if (double.IsFinite(v))
            {
                largest = Math.Max(largest, Math.Abs(v));
                integers &= v == Math.Round(v);
            }
        }

        if (largest == 0 || (integers && largest < 1e15))
        {
            // Whole numbers (counts, labels, integer data) print as such.
            return new NumberColumn("0");
        }

        if (largest is < 1e-3 or >= 1e7)
        {
            return new NumberColumn("0.00000e+00");
        }

        int decimals = Math.Clamp(5 - (int)Math.Floor(Math.Log10(largest)), 0, 8);
        return new NumberColumn(decimals == 0 ? "0" : "0." + new string('0', decimals));
    }

    public string Format(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "∞" : "-∞";
        }

        string text = value.ToString(_format, CultureInfo.InvariantCulture);
        return text.StartsWith('-') && IsZero(text) ? text[1..] : text;
    }

    /// <summary>"-0.000" prints as "0.000": a sign on a value rounded to zero says nothing.</summary>
    private static bool IsZero(string text) => text.All(c => c is '-' or '+' or 'e' or '0' or '.' or ',');
}
