using System.CommandLine;

namespace Distal.Cli.Commands;

/// <summary>An option whose values are daal4py's strings (e.g. `estimatesAll`), mapped to a library value.</summary>
internal sealed class DaalChoice<T>
{
    private readonly Dictionary<string, T> _values;

    public DaalChoice(string name, string description, string defaultValue, IReadOnlyDictionary<string, T> values)
    {
        _values = new Dictionary<string, T>(values, StringComparer.OrdinalIgnoreCase);
        Option = new Option<string>(name)
        {
            Description = $"{description} One of: {string.Join(", ", values.Keys)}.",
            DefaultValueFactory = _ => defaultValue,
        };
        Option.Validators.Add(result =>
        {
            string? value = result.GetValueOrDefault<string>();
            if (value is not null && !_values.ContainsKey(value))
            {
                result.AddError($"{name}: '{value}' is not one of {string.Join(", ", values.Keys)}");
            }
        });
    }

    public Option<string> Option { get; }

    public T Get(ParseResult parse) => _values[parse.GetValue(Option)!];
}
