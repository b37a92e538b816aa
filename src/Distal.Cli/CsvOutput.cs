using System.Globalization;
using System.Text.RegularExpressions;
using Distal.Data;

namespace Distal.Cli;

/// <summary>Per-rank CSV outputs (`--local-output-dir`): written atomically, with leftovers of larger earlier runs removed.</summary>
internal static partial class CsvOutput
{
    /// <summary>Writes <paramref name="table"/> as headerless round-trip CSV under a temporary name, then renames it.</summary>
    public static void Write(string path, Table<double> table) => CsvWriter.Write(path, table);

    /// <summary>
    /// Removes DIR/<paramref name="name"/>_r.csv for every r ≥ <paramref name="ranks"/>: files an earlier run with more
    /// ranks left, which a reader globbing name_*.csv would otherwise mix into this run's output.
    /// </summary>
    public static IReadOnlyList<string> RemoveStale(string directory, string name, int ranks)
    {
        var removed = new List<string>();
        foreach (string file in Directory.EnumerateFiles(directory, $"{name}_*.csv"))
        {
            var match = PerRankName().Match(Path.GetFileName(file));
            if (match.Success && match.Groups["name"].Value == name
                && int.TryParse(match.Groups["rank"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int rank) && rank >= ranks)
            {
                File.Delete(file);
                removed.Add(file);
            }
        }

        return removed;
    }

    [GeneratedRegex(@"^(?<name>.+)_(?<rank>[0-9]{1,9})\.csv$", RegexOptions.CultureInvariant)]
    private static partial Regex PerRankName();
}
