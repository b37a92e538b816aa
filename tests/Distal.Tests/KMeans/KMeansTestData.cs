using System.Text.Json;

namespace Distal.Tests.KMeans;

/// <summary>Seeded data for the k-means tests and the scikit-learn fixture.</summary>
internal static class KMeansTestData
{
    /// <summary>Gaussian blobs: <paramref name="centres"/> means in [−10, 10]^p, rows spread by <paramref name="spread"/>.</summary>
    public static Table<double> Blobs(int seed, int rows, int columns, int centres, double spread)
    {
        var random = new Random(seed);
        var means = new double[centres * columns];
        for (int i = 0; i < means.Length; i++)
        {
            means[i] = (random.NextDouble() * 20) - 10;
        }

        var table = Table<double>.Create(rows, columns);
        for (int i = 0; i < rows; i++)
        {
            int c = random.Next(centres);
            for (int j = 0; j < columns; j++)
            {
                table[i, j] = means[(c * columns) + j] + (spread * Gaussian(random));
            }
        }

        return table;
    }

    private static double Gaussian(Random random)
        => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    public static IReadOnlyList<SklearnCase> SklearnCases() => Fixture.Value;

    private static readonly Lazy<IReadOnlyList<SklearnCase>> Fixture = new(() =>
    {
        using var document = JsonDocument.Parse(File.ReadAllText(FixturePath()));
        var cases = new List<SklearnCase>();
        foreach (var c in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            cases.Add(new SklearnCase(
                c.GetProperty("name").GetString()!,
                c.GetProperty("maxIterations").GetInt32(),
                Matrix(c.GetProperty("data")),
                Matrix(c.GetProperty("initialCentroids")),
                Matrix(c.GetProperty("centroids")),
                c.GetProperty("objectiveFunction").GetDouble(),
                c.GetProperty("assignments").EnumerateArray().Select(a => a.GetInt32()).ToArray(),
                c.GetProperty("nIterations").GetInt32()));
        }

        return cases;
    });

    private static Table<double> Matrix(JsonElement rows)
        => Table.FromRows(rows.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToList());

    /// <summary>The fixture beside the sources (tests/Distal.Tests/KMeans/fixtures), found by walking up from the binaries.</summary>
    private static string FixturePath()
    {
        const string Relative = "tests/Distal.Tests/KMeans/fixtures/lloyd_sklearn.json";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, Relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(Relative + " not found above " + AppContext.BaseDirectory);
    }
}

internal sealed record SklearnCase(
    string Name,
    int MaxIterations,
    Table<double> Data,
    Table<double> InitialCentroids,
    Table<double> Centroids,
    double ObjectiveFunction,
    int[] Assignments,
    int NIterations);
