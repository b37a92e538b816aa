using Distal.Algorithms;

namespace Distal.Cli;

/// <summary>This rank's rows as read with the requested floating-point type (`--fptype`).</summary>
internal sealed class InputTable
{
    private readonly Table<double>? _double;
    private readonly Table<float>? _single;

    public InputTable(Table<double> table) => _double = table;

    public InputTable(Table<float> table) => _single = table;

    public int Columns => _double?.Columns ?? _single!.Columns;

    /// <summary>The rows as doubles (a view when read as double, else a widened copy).</summary>
    public Table<double> AsDouble() => _double ?? _single!.ToDouble();

    /// <summary>Runs Lloyd's iterations on the rows in their own type from <paramref name="initialCentroids"/>.</summary>
    public KMeansResult Compute(KMeans algorithm, Table<double> initialCentroids)
        => _double is not null ? algorithm.Compute(_double, initialCentroids) : algorithm.Compute(_single!, initialCentroids);

    /// <summary>Runs <paramref name="algorithm"/> on the rows in their own type.</summary>
    public TResult Compute<TResult>(Algorithm<TResult> algorithm)
        => _double is not null ? algorithm.Compute(_double) : algorithm.Compute(_single!);
}
