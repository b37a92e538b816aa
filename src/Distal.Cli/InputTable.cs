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

    /// <summary>Rows of this rank.</summary>
    public int Rows => _double?.Rows ?? _single!.Rows;

    /// <summary>
    /// The first <paramref name="dataColumns"/> columns and the rest, as two tables of the same type (copies: a
    /// table is one row-major block). Used for `--responses K`; the caller keeps the pair for reruns.
    /// </summary>
    public (InputTable Data, InputTable Target) SplitColumns(int dataColumns)
        => _double is not null
            ? (new InputTable(CopyColumns(_double, 0, dataColumns)), new InputTable(CopyColumns(_double, dataColumns, _double.Columns - dataColumns)))
            : (new InputTable(CopyColumns(_single!, 0, dataColumns)), new InputTable(CopyColumns(_single!, dataColumns, _single!.Columns - dataColumns)));

    /// <summary>Trains <paramref name="algorithm"/> on these rows and <paramref name="target"/>'s, in their own type.</summary>
    public TResult Compute<TResult>(SupervisedAlgorithm<TResult> algorithm, InputTable target)
        => _double is not null ? algorithm.Compute(_double, target._double!) : algorithm.Compute(_single!, target._single!);

    private static Table<T> CopyColumns<T>(Table<T> table, int start, int count)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        var copy = Table<T>.Create(table.Rows, count);
        for (int i = 0; i < table.Rows; i++)
        {
            table.Row(i).Slice(start, count).CopyTo(copy.Row(i));
        }

        return copy;
    }
}
