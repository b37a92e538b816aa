using System.Numerics;

namespace Distal.Algorithms;

/// <summary>
/// A table of rows an algorithm can take as its data: a dense <see cref="Table{T}"/>, or a sparse table. The core
/// only slices rows and agrees widths; the algorithm reads the values.
/// </summary>
/// <typeparam name="T"><see cref="double"/> or <see cref="float"/>.</typeparam>
internal interface IRowTable<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Number of rows.</summary>
    int Rows { get; }

    /// <summary>Number of columns.</summary>
    int Columns { get; }

    /// <summary>
    /// True when <see cref="Columns"/> is only what this rank's rows show (a sparse table whose width was inferred
    /// from its largest column index): ranks then agree on the largest width instead of requiring equal widths.
    /// </summary>
    bool ColumnsIsLowerBound { get; }

    /// <summary>A view of <paramref name="count"/> rows from <paramref name="start"/>; no copy.</summary>
    IRowTable<T> SliceRows(int start, int count);
}

/// <summary>
/// The widths of an algorithm's inputs, agreed by every rank before any partial is created: the data's columns and,
/// for supervised algorithms, the target's (dependent variables or labels; 0 when there is no target).
/// </summary>
internal readonly record struct InputShape(int DataColumns, int TargetColumns);

/// <summary>
/// The row-aligned inputs of one computation on one rank: the data and, for supervised algorithms, the target
/// (dependent variables or labels) with the same number of rows. Row blocks of it are what partials accumulate.
/// </summary>
/// <typeparam name="T"><see cref="double"/> or <see cref="float"/>.</typeparam>
internal sealed class AlgorithmInput<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Pairs <paramref name="data"/> with an optional <paramref name="target"/> whose rows belong to it.</summary>
    /// <exception cref="DistalException">The two row counts differ (checked on this rank; the core agrees it).</exception>
    public AlgorithmInput(IRowTable<T> data, Table<T>? target = null, string? targetName = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (target is not null && target.Rows != data.Rows)
        {
            throw new DistalException(FailureKind.Input, $"data has {data.Rows} rows but {targetName ?? "the second input"} has {target.Rows}");
        }

        Data = data;
        Target = target;
        TargetName = targetName;
    }

    /// <summary>The data (n × p), dense or sparse.</summary>
    public IRowTable<T> Data { get; }

    /// <summary>The dependent variables or labels (n × k), or null for unsupervised algorithms.</summary>
    public Table<T>? Target { get; }

    /// <summary>The target's daal4py name (<c>dependentVariables</c>, <c>labels</c>), for messages.</summary>
    public string? TargetName { get; }

    /// <summary>Number of rows (of the data and of the target alike).</summary>
    public int Rows => Data.Rows;

    /// <summary>The shape this rank's rows show (a rank without rows shows widths that the others override).</summary>
    public InputShape Shape => new(Data.Columns, Target?.Columns ?? 0);

    /// <summary>
    /// The data as a dense table.
    /// </summary>
    /// <exception cref="DistalException">The data is sparse and the algorithm takes dense data only.</exception>
    public Table<T> DenseData(string algorithm)
        => Data as Table<T> ?? throw new DistalException(FailureKind.Usage, $"{algorithm} takes dense data only, not a {Data.GetType().Name.Split('`')[0]}");

    /// <summary>The target.</summary>
    /// <exception cref="InvalidOperationException">There is none (the core never creates that case for a supervised algorithm).</exception>
    public Table<T> RequiredTarget => Target ?? throw new InvalidOperationException("this input has no target");

    /// <summary>Rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) of every input; no copy.</summary>
    public AlgorithmInput<T> SliceRows(int start, int count)
        => new(Data.SliceRows(start, count), Target?.SliceRows(start, count), TargetName);
}
