using System.Globalization;

namespace Distal.Tests.Infrastructure;

/// <summary>Upstream's example data and reference outputs, read from ../shared/daal4py-data beside the repository.</summary>
public static class SharedData
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string Directory => Root.Value;

    public static string PathOf(string relative) => System.IO.Path.Combine(Directory, relative);

    /// <summary>Reads a reference CSV with a plain, independent parser (not Distal's).</summary>
    public static double[][] ReadReference(string relative)
        => File.ReadAllLines(PathOf(relative))
            .Where(line => line.Trim().Length > 0)
            .Select(line => line.Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())
            .ToArray();

    public static Table<double> ReadTable(string relative) => Table.FromRows(ReadReference(relative));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "shared", "daal4py-data");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("shared/daal4py-data not found above " + AppContext.BaseDirectory);
    }
}
