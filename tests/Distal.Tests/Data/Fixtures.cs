namespace Distal.Tests.Data;

/// <summary>Files under tests/Distal.Tests/Data/fixtures written by other programs (NumPy, JavaScript writers).</summary>
internal static class Fixtures
{
    /// <summary>The fixture's path, found by walking up from the test binary.</summary>
    public static string PathOf(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "tests", "Distal.Tests", "Data", "fixtures", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }

            candidate = Path.Combine(directory.FullName, "Data", "fixtures", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"fixture {name} not found above {AppContext.BaseDirectory}");
    }
}
