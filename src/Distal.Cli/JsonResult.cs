using System.Text.Json;
using System.Text.Json.Nodes;

namespace Distal.Cli;

/// <summary>Builds and writes results as JSON: vectors as arrays, matrices as arrays of rows, daal4py names in camelCase.</summary>
internal static class JsonResult
{
    private static readonly JsonSerializerOptions Options = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>
    /// Set on the threads of ranks other than 0, whose results are never printed: there the builders below return
    /// empty arrays. Every rank runs the same command code, and on 64 embedded ranks (threads of one process) building
    /// 64 node trees of a 400 × 400 covariance took ten times as long as computing it.
    /// </summary>
    [ThreadStatic]
    private static bool t_unreported;

    /// <summary>Runs <paramref name="body"/> for <paramref name="rank"/>, building result arrays only on rank 0.</summary>
    public static JsonObject ForRank(int rank, Func<JsonObject> body)
    {
        bool outer = t_unreported;
        t_unreported = rank != 0;
        try
        {
            return body();
        }
        finally
        {
            t_unreported = outer;
        }
    }

    public static JsonArray Vector(ReadOnlySpan<double> values)
    {
        var array = new JsonArray();
        if (t_unreported)
        {
            return array;
        }

        foreach (double v in values)
        {
            array.Add((JsonNode)JsonValue.Create(v));
        }

        return array;
    }

    public static JsonArray Vector(ReadOnlySpan<int> values)
    {
        var array = new JsonArray();
        if (t_unreported)
        {
            return array;
        }

        foreach (int v in values)
        {
            array.Add((JsonNode)JsonValue.Create(v));
        }

        return array;
    }

    public static JsonArray Matrix(Table<double> table)
    {
        var rows = new JsonArray();
        for (int i = 0; i < (t_unreported ? 0 : table.Rows); i++)
        {
            rows.Add((JsonNode)Vector(table.Row(i)));
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

    /// <summary>
    /// Indented JSON in which a vector stays on one line and a matrix has one line per row, so results stay readable.
    /// </summary>
    public static string Serialize(JsonNode node)
    {
        var text = new System.Text.StringBuilder();
        Write(text, node, 0);
        return text.ToString();
    }

    private static void Write(System.Text.StringBuilder text, JsonNode? node, int depth)
    {
        string indent = new(' ', 2 * (depth + 1));
        switch (node)
        {
            case JsonObject obj:
                text.Append('{');
                bool first = true;
                foreach (var (key, value) in obj)
                {
                    text.Append(first ? "\n" : ",\n").Append(indent).Append(JsonValue.Create(key).ToJsonString(Options)).Append(": ");
                    Write(text, value, depth + 1);
                    first = false;
                }

                text.Append('\n').Append(' ', 2 * depth).Append('}');
                break;
            case JsonArray array when array.Any(item => item is JsonObject or JsonArray):
                text.Append('[');
                for (int i = 0; i < array.Count; i++)
                {
                    text.Append(i == 0 ? "\n" : ",\n").Append(indent);
                    Write(text, array[i], depth + 1);
                }

                text.Append('\n').Append(' ', 2 * depth).Append(']');
                break;
            default:
                text.Append(node?.ToJsonString(Options) ?? "null");
                break;
        }
    }

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
