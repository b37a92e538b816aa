using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Distal.Algorithms;

namespace Distal.Tests.Fuzz;

/// <summary>
/// Generates model JSON files of every model type (random sizes and values) and mutations of them: type confusion
/// (a string, null, a boolean, a list or an object where a number, a row or a field belongs), ragged and empty
/// matrices, missing fields, other algorithms, formats and versions, huge, tiny and non-finite numbers, and
/// byte-level damage. A load must fail with a one-line input error, or give a model whose every number is
/// <c>double.Parse</c> of the same field's text in the file.
/// </summary>
internal static class ModelFuzzer
{
    private static readonly string[] JsonTokens =
    [
        "NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e-400", "01", ".5", "1.", "+1", "0x1", "\"1\"", "null", "true", "[]", "{}",
        "[[]]", "[[1],[1,2]]", "\\u0000", "\"\\ud800\"", "//", "/*", "\"format\": \"distal-model\",", "\"version\": 99,",
        "\"algorithm\": \"pca\",", "\"eigenvalues\": [1],", string.Concat(Enumerable.Repeat("[", 70)), "1e308", "-0", "9007199254740993",
        "123456789012345678901234567890",
    ];

    private static readonly JsonNode?[] Confusions =
    [
        null, JsonValue.Create("1"), JsonValue.Create(true), new JsonArray(), new JsonObject(), new JsonArray(new JsonArray()),
        new JsonArray(JsonValue.Create(1.0), JsonValue.Create("x")), JsonValue.Create(1e308), JsonValue.Create(-0.0), JsonValue.Create(1e20),
        JsonValue.Create(long.MaxValue), JsonValue.Create(0.5), JsonValue.Create(-1), JsonValue.Create("NaN"),
    ];

    private static readonly (string Name, Func<string, string, Model> Parse)[] Readers =
    [
        ("kmeans", (json, source) => Model.Parse<KMeansModel>(json, source)),
        ("pca", (json, source) => Model.Parse<PcaModel>(json, source)),
        ("linear-regression", (json, source) => Model.Parse<LinearRegressionModel>(json, source)),
        ("ridge-regression", (json, source) => Model.Parse<RidgeRegressionModel>(json, source)),
        ("multinomial-naive-bayes", (json, source) => Model.Parse<MultinomialNaiveBayesModel>(json, source)),
    ];

    public static string Check(Random random, string path)
    {
        int type = random.Next(Readers.Length);
        string text = RandomModel(random, type).ToJson();
        string how = "as written";
        switch (random.Next(8))
        {
            case 0:
            case 1:
            case 2:
                text = Confuse(random, text);
                how = "a value replaced";
                break;
            case 3:
                text = RemoveField(random, text);
                how = "a field removed";
                break;
            case 4:
            case 5:
                text = Encoding.UTF8.GetString(Mutator.Mutate(random, Encoding.UTF8.GetBytes(text), random.Next(3) == 0 ? 3 : 1, JsonTokens));
                how = "bytes changed";
                break;
            case 6:
                type = random.Next(Readers.Length);
                how = "read as a " + Readers[type].Name;
                break;
        }

        File.WriteAllText(path, text);
        Model model;
        try
        {
            // The public Load of each type is File.ReadAllText + Parse; Parse is called directly to pick the type.
            model = Readers[type].Parse(File.ReadAllText(path), path);
        }
        catch (DistalException e)
        {
            if (how == "as written")
            {
                throw FuzzRun.Wrong($"a model as written was rejected: {e.Message}");
            }

            if (e.Kind != FailureKind.Input || e.Message.Contains('\n', StringComparison.Ordinal) || !e.Message.StartsWith(path, StringComparison.Ordinal))
            {
                throw FuzzRun.Wrong($"not a one-line input error naming the file: {e.Kind} '{e.Message}'");
            }

            return $"{how}, rejected";
        }

        CompareNumbers(JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 256 }), JsonNode.Parse(model.ToJson()), "", text);
        return $"{how}, read";
    }

    /// <summary>Every number the model writes back must be double.Parse of the same field's text in the input.</summary>
    private static void CompareNumbers(JsonNode? input, JsonNode? output, string where, string text)
    {
        switch (output)
        {
            case JsonObject fields:
                foreach (var (name, value) in fields)
                {
                    if (where.Length == 0 && name is "format" or "algorithm" or "version")
                    {
                        continue;
                    }

                    // A field the file lacks is one the model derives (numberOfBetas from beta's shape) or leaves
                    // out (absent or null); only numbers that came from the file are compared.
                    if (input is JsonObject o && o.TryGetPropertyValue(name, out var source) && source is not null)
                    {
                        CompareNumbers(source, value, $"{where}{name}.", text);
                    }
                }

                break;
            case JsonArray items:
                if (input is not JsonArray sources || sources.Count != items.Count)
                {
                    throw FuzzRun.Wrong($"{where} has another length in the file: {text}");
                }

                for (int i = 0; i < items.Count; i++)
                {
                    CompareNumbers(sources[i], items[i], $"{where}[{i}].", text);
                }

                break;
            case JsonValue number when number.GetValueKind() == JsonValueKind.Number:
                if (input is not JsonValue raw || raw.GetValueKind() != JsonValueKind.Number)
                {
                    throw FuzzRun.Wrong($"{where} is a number in the model but not in the file: {text}");
                }

                double expected = double.Parse(raw.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
                if (!FuzzValues.Same(expected, number.GetValue<double>()))
                {
                    throw FuzzRun.Wrong($"{where} is {number.GetValue<double>():R} in the model but {raw.ToJsonString()} in the file");
                }

                break;
        }
    }

    private static string Confuse(Random random, string text)
    {
        var root = JsonNode.Parse(text)!;
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        var target = nodes[random.Next(nodes.Count)];
        JsonNode? replacement = random.Next(4) == 0 && target is JsonArray { Count: > 0 } rows && rows[0] is JsonArray first
            ? new JsonArray([.. first.Select(v => v?.DeepClone()), JsonValue.Create(1.0)])
            : Confusions[random.Next(Confusions.Length)]?.DeepClone();
        switch (target.Parent)
        {
            case JsonObject o:
                o[target.GetPropertyName()] = replacement;
                break;
            case JsonArray a:
                a[target.GetElementIndex()] = replacement;
                break;
            default:
                return replacement?.ToJsonString() ?? "null";
        }

        return root.ToJsonString();
    }

    private static string RemoveField(Random random, string text)
    {
        var root = JsonNode.Parse(text)!.AsObject();
        var names = root.Select(p => p.Key).ToList();
        root.Remove(names[random.Next(names.Count)]);
        return root.ToJsonString();
    }

    private static void Collect(JsonNode node, List<JsonNode> nodes)
    {
        nodes.Add(node);
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children)
        {
            if (child is not null)
            {
                Collect(child, nodes);
            }
        }
    }

    private static Model RandomModel(Random random, int type)
    {
        int p = random.Next(1, 6), k = random.Next(1, 5);
        double[] Vector(int n) => Enumerable.Range(0, n).Select(_ => FuzzValues.Double(random)).ToArray();
        Table<double> Matrix(int rows, int columns) => new(Vector(rows * columns), rows, columns);
        return type switch
        {
            0 => new KMeansModel(Matrix(k, p)),
            1 => new PcaModel(Vector(k), Matrix(k, p), new PcaTransformData(random.Next(2) == 0 ? Vector(p) : null, random.Next(2) == 0 ? Vector(p) : null, random.Next(2) == 0 ? Vector(k) : null),
                random.Next(2) == 0 ? Vector(p) : null, random.Next(2) == 0 ? Vector(p) : null),
            2 => new LinearRegressionModel(Matrix(k, p + 1), random.Next(2) == 0),
            3 => new RidgeRegressionModel(Matrix(k, p + 1), random.Next(2) == 0),
            _ => new MultinomialNaiveBayesModel(Vector(k), Matrix(k, p)),
        };
    }
}
