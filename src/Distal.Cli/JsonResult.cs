using System.Text.Json;
using System.Text.Json.Nodes;

namespace Distal.Cli;

/// <summary>Builds and writes results as JSON: vectors as arrays, matrices as arrays of rows, daal4py names in camelCase.</summary>
internal static class JsonResult
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static JsonArray Vector(ReadOnlySpan<double> values)
    {
        var array = new JsonArray();
        foreach (double v in values)
        {
            array.Add(JsonValue.Create(v));
        }

        return array;
    }

    public static JsonArray Vector(ReadOnlySpan<int> values)
    {
        var array = new JsonArray();
        foreach (int v in values)
        {
            array.Add(JsonValue.Create(v));
        }

        return array;
    }

    public static JsonArray Matrix(Table<double> table)
    {
        var rows = new JsonArray();
        for (int i = 0; i < table.Rows; i++)
        {
            rows.Add(Vector(table.Row(i)));
        }

        return rows;
    }

    /// <summary>Adds <paramref name="values"/> under <paramref name="key"/> when it was computed.</summary>
    public static void AddIfPresent(this JsonObject json, string key, double[]? values)
    {
        if (values is not null)
        {
            json[key] = Vector(values);
        }
    }

    public static string Serialize(JsonNode node) => node.ToJsonString(Options);

    public static JsonNode Read(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) ?? throw new DistalException(FailureKind.Input, $"{path}: empty JSON document");
        }
        catch (JsonException e)
        {
            throw new DistalException(FailureKind.Input, $"{path}:{(e.LineNumber ?? 0) + 1}: invalid JSON ({e.Message.Split('.')[0]})");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DistalException(FailureKind.Input, $"{path}: file not found");
        }
    }
}
