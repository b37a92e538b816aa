using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Distal;

/// <summary>
/// Reads a model's fields with checks: a missing field, a value of the wrong kind (a list where an object belongs,
/// null, a string where a number belongs), ragged matrix rows or a non-finite number each give one
/// <see cref="DistalException"/> (input) naming the file and the field.
/// </summary>
internal sealed class ModelReader
{
    private readonly JsonObject _json;
    private readonly string _prefix;

    public ModelReader(JsonObject json, string source, string prefix = "")
    {
        _json = json;
        Source = source;
        _prefix = prefix;
    }

    /// <summary>The file (or other source) the model came from, for messages.</summary>
    public string Source { get; }

    /// <summary>True for a file written before the model layer (no <c>format</c> header): a plain result JSON.</summary>
    public bool IsLegacy { get; private init; }

    public ModelReader AsLegacy() => new(_json, Source, _prefix) { IsLegacy = true };

    public bool Has(string name) => _json[name] is not null;

    public string String(string name)
    {
        var node = Required(name);
        return node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.TryGetValue(out string? text) ? text : throw Wrong(name, "a string", node);
    }

    public double Double(string name) => Number(name, Required(name));

    public long Long(string name)
    {
        double value = Double(name);
        return value == Math.Floor(value) && Math.Abs(value) < 9e15 ? (long)value : throw Invalid(name, "must be a whole number");
    }

    public bool Bool(string name)
    {
        var node = Required(name);
        return node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False && value.TryGetValue(out bool flag) ? flag : throw Wrong(name, "true or false", node);
    }

    public double[] Vector(string name) => VectorOf(name, Required(name));

    public double[]? OptionalVector(string name) => Has(name) ? Vector(name) : null;

    /// <summary>A matrix: a non-empty array of rows of equal length, each an array of numbers.</summary>
    public Table<double> Matrix(string name)
    {
        var node = Required(name);
        if (node is not JsonArray rows || rows.Count == 0)
        {
            throw Wrong(name, "a non-empty array of rows", node);
        }

        var values = new List<double[]>(rows.Count);
        foreach (var row in rows)
        {
            var vector = VectorOf(name, row);
            if (values.Count > 0 && vector.Length != values[0].Length)
            {
                throw new DistalException(FailureKind.Input, $"{Source}: \"{_prefix}{name}\" has rows of {values[0].Length} and {vector.Length} values");
            }

            values.Add(vector);
        }

        if (values[0].Length == 0)
        {
            throw Invalid(name, "must have rows of at least one number");
        }

        return Table.FromRows(values);
    }

    /// <summary>A nested object's reader.</summary>
    public ModelReader Object(string name)
    {
        var node = Required(name);
        return node is JsonObject child ? new ModelReader(child, Source, $"{_prefix}{name}.") { IsLegacy = IsLegacy } : throw Wrong(name, "an object", node);
    }

    public ModelReader? OptionalObject(string name) => Has(name) ? Object(name) : null;

    /// <summary>The error for a field that is present but wrong in a way only the model type can tell.</summary>
    public DistalException Invalid(string name, string cause)
        => new(FailureKind.Input, $"{Source}: \"{_prefix}{name}\" {cause}");

    /// <summary>What a JSON value is, in words, for messages.</summary>
    internal static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "a list",
        JsonObject => "an object",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => "a string",
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "a number",
    };

    /// <summary>At most 40 printable characters of <paramref name="text"/>.</summary>
    internal static string Excerpt(string text)
    {
        var printable = new string(text.Take(40).Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return text.Length > 40 ? printable + "…" : printable;
    }

    private JsonNode Required(string name)
        => _json[name] ?? throw new DistalException(FailureKind.Input, $"{Source}: {(_json.ContainsKey(name) ? $"\"{_prefix}{name}\" is null" : $"no \"{_prefix}{name}\" field")}");

    private double[] VectorOf(string name, JsonNode? node)
    {
        if (node is not JsonArray array)
        {
            throw Wrong(name, "an array of numbers", node);
        }

        var values = new double[array.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Number(name, array[i]);
        }

        return values;
    }

    private double Number(string name, JsonNode? node)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out double number))
        {
            return double.IsFinite(number) ? number : throw Invalid(name, "must hold finite numbers");
        }

        throw Wrong(name, "numbers", node);
    }

    private DistalException Wrong(string name, string expected, JsonNode? found)
        => new(FailureKind.Input, $"{Source}: \"{_prefix}{name}\" must be {expected}, not {Describe(found)}");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Source} ({_json.Count} fields)");
}
