using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Distal;

/// <summary>
/// A trained model: a plain object whose fields carry daal4py's names (<c>beta</c>, <c>centroids</c>,
/// <c>eigenvectors</c>, <c>logP</c>, ...). It is saved and loaded as plain, versioned JSON —
/// <c>{"format": "distal-model", "algorithm": "…", "version": N, …fields}</c> — with no .NET type names, so any
/// language can read it. Each model type loads with its own <c>Load(path)</c>, which rejects a malformed, truncated
/// or other-algorithm file with one clear <see cref="DistalException"/> naming the file.
/// </summary>
public abstract class Model
{
    /// <summary>The value of the <c>format</c> key of every model file.</summary>
    public const string Format = "distal-model";

    private protected Model()
    {
    }

    /// <summary>The algorithm that trained the model, as written in the file (for example <c>linear-regression</c>).</summary>
    public abstract string Algorithm { get; }

    /// <summary>The version of this algorithm's field layout; readers accept every version up to theirs.</summary>
    internal abstract int Version { get; }

    /// <summary>The model as JSON (indented, numbers in shortest round-trip form, so loading gives the same doubles).</summary>
    public string ToJson()
    {
        var json = new JsonObject
        {
            ["format"] = Format,
            ["algorithm"] = Algorithm,
            ["version"] = Version,
        };
        Write(new ModelWriter(json));
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>
    /// Writes the model to <paramref name="path"/> as JSON. The file is written under a temporary name and then
    /// renamed, so a reader never sees half a model.
    /// </summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        File.WriteAllText(temporary, ToJson() + "\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>Writes the fields after the header.</summary>
    internal abstract void Write(ModelWriter writer);

    /// <summary>Loads a model of type <typeparamref name="TModel"/> from a file.</summary>
    internal static TModel Load<TModel>(string path)
        where TModel : Model, IModelReader<TModel>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DistalException(FailureKind.Input, $"{path}: cannot read the model: {e.Message}");
        }

        return Parse<TModel>(text, path);
    }

    /// <summary>Reads a model of type <typeparamref name="TModel"/> from JSON text; <paramref name="source"/> names it in errors.</summary>
    internal static TModel Parse<TModel>(string json, string source)
        where TModel : Model, IModelReader<TModel>
    {
        JsonNode? root;
        try
        {
            // Duplicate keys are refused while parsing: JsonObject would otherwise throw ArgumentException when a field
            // is first looked up (found by the fuzz tests), and a model with two values for one field is ambiguous.
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw new DistalException(FailureKind.Input, $"{source}: not a JSON model (line {(e.LineNumber ?? 0) + 1}): {FirstSentence(e.Message)}");
        }

        if (root is not JsonObject fields)
        {
            throw new DistalException(FailureKind.Input, $"{source}: a model is a JSON object, not {ModelReader.Describe(root)}");
        }

        var reader = new ModelReader(fields, source);
        if (fields["format"] is null)
        {
            // Files written before the model layer (a `distal pca` or `kmeans` result): the type decides whether it
            // can read them.
            return TModel.Read(reader.AsLegacy());
        }

        string format = reader.String("format");
        if (format != Format)
        {
            throw new DistalException(FailureKind.Input, $"{source}: \"format\" is \"{ModelReader.Excerpt(format)}\", not \"{Format}\"");
        }

        string algorithm = reader.String("algorithm");
        if (algorithm != TModel.AlgorithmName)
        {
            throw new DistalException(FailureKind.Input, $"{source}: a {ModelReader.Excerpt(algorithm)} model, but a {TModel.AlgorithmName} model is needed");
        }

        long version = reader.Long("version");
        if (version < 1 || version > TModel.LatestVersion)
        {
            throw new DistalException(FailureKind.Input, $"{source}: {algorithm} model version {version}; this Distal reads versions 1 to {TModel.LatestVersion}");
        }

        return TModel.Read(reader);
    }

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        string sentence = end > 0 ? message[..end] : message.TrimEnd('.');
        // The parser quotes the offending text, which in a damaged file can hold line breaks and control bytes: the
        // message must stay one printable line.
        string printable = new(sentence.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return printable.Length > 160 ? printable[..160] + "…" : printable;
    }
}

/// <summary>How a model type reads itself: its algorithm name, its newest layout version, and its fields.</summary>
/// <typeparam name="TSelf">The model type.</typeparam>
internal interface IModelReader<TSelf>
    where TSelf : Model
{
    /// <summary>The <c>algorithm</c> value of this model type's files.</summary>
    static abstract string AlgorithmName { get; }

    /// <summary>The newest <c>version</c> this type reads (and writes).</summary>
    static abstract int LatestVersion { get; }

    /// <summary>Reads the fields (the header is already checked, or the file is a legacy result: <see cref="ModelReader.IsLegacy"/>).</summary>
    static abstract TSelf Read(ModelReader reader);
}
