using System.Text.Json.Nodes;

namespace Distal;

/// <summary>Writes a model's fields as JSON values: numbers, booleans, strings, vectors and matrices (arrays of rows).</summary>
internal sealed class ModelWriter(JsonObject json)
{
    public void Add(string name, double value) => json[name] = Finite(name, value);

    public void Add(string name, long value) => json[name] = value;

    public void Add(string name, bool value) => json[name] = value;

    public void Add(string name, string value) => json[name] = value;

    public void Add(string name, ReadOnlySpan<double> vector)
    {
        var array = new JsonArray();
        foreach (double v in vector)
        {
            array.Add((JsonNode)JsonValue.Create(Finite(name, v)));
        }

        json[name] = array;
    }

    public void Add(string name, Table<double> matrix)
    {
        var rows = new JsonArray();
        for (int i = 0; i < matrix.Rows; i++)
        {
            var row = new JsonArray();
            foreach (double v in matrix.Row(i))
            {
                row.Add((JsonNode)JsonValue.Create(Finite(name, v)));
            }

            rows.Add((JsonNode)row);
        }

        json[name] = rows;
    }

    /// <summary>Adds a vector when it is present.</summary>
    public void AddIfPresent(string name, double[]? vector)
    {
        if (vector is not null)
        {
            Add(name, vector);
        }
    }

    /// <summary>A nested object (for example daal4py's <c>dataForTransform</c>).</summary>
    public ModelWriter Object(string name)
    {
        var child = new JsonObject();
        json[name] = child;
        return new ModelWriter(child);
    }

    // JSON has no NaN or infinity; a trained model never holds one, so one here is a bug, not a user error.
    private static double Finite(string name, double value)
        => double.IsFinite(value) ? value : throw new InvalidOperationException($"model field {name} holds {value}");
}
