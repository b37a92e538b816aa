using Distal.Algorithms;

namespace Distal.Cli;

/// <summary>This rank's rows as read with the requested floating-point type (`--fptype`).</summary>
internal sealed class InputTable
{
    private readonly Table<double>? _double;
    private readonly Table<float>? _single;

    public InputTable(Table<double> table) => _double = table;

    public InputTable(Table<float> table) => _single = table;

    public int Rows => _double?.Rows ?? _single!.Rows;

    public int Columns => _double?.Columns ?? _single!.Columns;

    /// <summary>The rows as doubles (a view when read as double, else a widened copy).</summary>
    public Table<double> AsDouble() => _double ?? _single!.ToDouble();

    /// <summary>Runs <paramref name="algorithm"/> on the rows in their own type.</summary>
    public TResult Compute<TResult>(Algorithm<TResult> algorithm)
        => _double is not null ? algorithm.Compute(_double) : algorithm.Compute(_single!);

    /// <summary>A view of <paramref name="count"/> columns starting at <paramref name="start"/>, copied to doubles.</summary>
    public Table<double> SelectColumns(int start, int count)
    {
        var all = AsDouble();
        var result = Table<double>.Create(all.Rows, count);
        for (int i = 0; i < all.Rows; i++)
        {
            all.Row(i).Slice(start, count).CopyTo(result.Row(i));
        }

        return result;
    }
}
