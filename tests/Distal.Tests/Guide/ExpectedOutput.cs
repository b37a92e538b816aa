using System.Globalization;
using System.Text.RegularExpressions;

namespace Distal.Tests.Guide;

/// <summary>
/// Checks a command's output against the output a guide page shows. Each shown line must match an output line, in
/// order (other output lines may come between): the same text apart from white space, with every number equal to the
/// printed one to the digits shown (the guide prints 0.8680 where the program prints 0.8680138600000014). A shown
/// line ending in "..." matches any line that starts that way; a line of just "..." matches nothing and skips.
/// </summary>
public static partial class ExpectedOutput
{
    /// <summary>Null when <paramref name="actual"/> shows every line of <paramref name="expected"/>, else why not.</summary>
    public static string? Mismatch(string expected, string actual)
    {
        string[] outputLines = actual.Split('\n');
        int next = 0;
        foreach (string raw in expected.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line == "...")
            {
                continue;
            }

            int found = -1;
            for (int i = next; i < outputLines.Length && found < 0; i++)
            {
                if (LineMatches(line, outputLines[i]))
                {
                    found = i;
                }
            }

            if (found < 0)
            {
                return $"the output has no line like \"{line}\" (after line {next} of the output)";
            }

            next = found + 1;
        }

        return null;
    }

    public static bool LineMatches(string expected, string actual)
    {
        bool prefix = expected.EndsWith("...", StringComparison.Ordinal);
        var want = Tokens(prefix ? expected[..^3] : expected);
        var have = Tokens(actual);
        if (have.Count < want.Count || (!prefix && have.Count != want.Count))
        {
            return false;
        }

        for (int i = 0; i < want.Count; i++)
        {
            if (!TokenMatches(want[i], have[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TokenMatches(string want, string have)
    {
        if (!IsNumber(want) || !IsNumber(have))
        {
            return want == have;
        }

        // Equal when the program's number, rounded to the digits the guide shows, is the guide's number.
        double shown = double.Parse(want, CultureInfo.InvariantCulture);
        double value = double.Parse(have, CultureInfo.InvariantCulture);
        var m = NumberParts().Match(want);
        int decimals = m.Groups["frac"].Success ? m.Groups["frac"].Value.Length : 0;
        int exponent = m.Groups["exp"].Success ? int.Parse(m.Groups["exp"].Value, CultureInfo.InvariantCulture) : 0;
        double halfUnit = 0.5 * Math.Pow(10, exponent - decimals);
        return Math.Abs(value - shown) <= halfUnit * (1 + 1e-9);
    }

    private static bool IsNumber(string token) => token.Length > 0 && (char.IsAsciiDigit(token[0]) || (token.Length > 1 && token[0] == '-' && char.IsAsciiDigit(token[1])));

    /// <summary>Numbers as one token each, every other non-space character as a token of its own.</summary>
    private static List<string> Tokens(string line)
        => Token().Matches(line).Select(m => m.Value).ToList();

    [GeneratedRegex(@"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|\S")]
    private static partial Regex Token();

    [GeneratedRegex(@"^-?\d+(?:\.(?<frac>\d+))?(?:[eE](?<exp>[-+]?\d+))?$")]
    private static partial Regex NumberParts();
}
