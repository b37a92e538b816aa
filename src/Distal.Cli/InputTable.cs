using Distal.Algorithms;

namespace Distal.Cli;

/// <summary>
/// This rank's rows as read with the requested floating-point type (`--fptype`): dense, or CSR (daal4py's 3-line
/// files). Where the rows came from (<see cref="Origin"/>) lets a command name the file and line of a bad value.
/// </summary>
internal sealed class InputTable
{
    private readonly Table<double>? _double;
    private readonly Table<float>? _single;
    private readonly CsrTable<double>? _sparseDouble;
    private readonly CsrTable<float>? _sparseSingle;

    public InputTable(Table<double> table, InputOrigin? origin = null) => (_double, Origin) = (table, origin);

    public InputTable(Table<float> table, InputOrigin? origin = null) => (_single, Origin) = (table, origin);

    public InputTable(CsrTable<double> table, InputOrigin? origin = null) => (_sparseDouble, Origin) = (table, origin);

    public InputTable(CsrTable<float> table, InputOrigin? origin = null) => (_sparseSingle, Origin) = (table, origin);

    /// <summary>The file and first row these rows came from; null for generated rows.</summary>
    public InputOrigin? Origin { get; }

    /// <summary>Labels that came with generated rows (benchmarks); null when the rows came from files.</summary>
    public Table<double>? GeneratedLabels { get; init; }

    public bool IsSparse => _sparseDouble is not null || _sparseSingle is not null;

    public bool IsFloat => _single is not null || _sparseSingle is not null;

    public int Rows => _double?.Rows ?? _single?.Rows ?? _sparseDouble?.Rows ?? _sparseSingle!.Rows;

    public int Columns => _double?.Columns ?? _single?.Columns ?? _sparseDouble?.Columns ?? _sparseSingle!.Columns;

    /// <summary>The dense rows as doubles (a view when read as double, else a widened copy).</summary>
    public Table<double> AsDouble()
        => _double ?? _single?.ToDouble() ?? throw new DistalException(FailureKind.Usage, "this command takes dense input, not CSR");

    public Table<double>? DenseDouble => _double;

    public Table<float>? DenseSingle => _single;

    public CsrTable<double>? SparseDouble => _sparseDouble;

    public CsrTable<float>? SparseSingle => _sparseSingle;

    /// <summary>Runs Lloyd's iterations on the rows in their own type from <paramref name="initialCentroids"/>.</summary>
    public KMeansResult Compute(KMeans algorithm, Table<double> initialCentroids)
        => _double is not null ? algorithm.Compute(_double, initialCentroids)
            : _single is not null ? algorithm.Compute(_single, initialCentroids)
            : throw DenseOnly("kmeans");

    /// <summary>Runs <paramref name="algorithm"/> on the rows in their own type (CSR for the algorithms that take it).</summary>
    public TResult Compute<TResult>(Algorithm<TResult> algorithm)
    {
        if (_double is not null)
        {
            return algorithm.Compute(_double);
        }

        if (_single is not null)
        {
            return algorithm.Compute(_single);
        }

        object result = algorithm switch
        {
            LowOrderMoments moments => _sparseDouble is not null ? moments.Compute(_sparseDouble) : moments.Compute(_sparseSingle!),
            Covariance covariance => _sparseDouble is not null ? covariance.Compute(_sparseDouble) : covariance.Compute(_sparseSingle!),
            _ => throw DenseOnly(algorithm.GetType().Name),
        };
        return (TResult)result;
    }

    private static DistalException DenseOnly(string algorithm)
        => new(FailureKind.Usage, $"{algorithm} takes dense input; CSR input is taken by low-order-moments, covariance and naive Bayes");

    /// <summary>
    /// The first <paramref name="dataColumns"/> columns and the rest, as two tables of the same type (copies: a
    /// table is one row-major block). Used for `--responses K`; the caller keeps the pair for reruns.
    /// </summary>
    public (InputTable Data, InputTable Target) SplitColumns(int dataColumns)
        => IsSparse ? throw DenseOnly("--responses") : _double is not null
            ? (new InputTable(CopyColumns(_double, 0, dataColumns)), new InputTable(CopyColumns(_double, dataColumns, _double.Columns - dataColumns)))
            : (new InputTable(CopyColumns(_single!, 0, dataColumns)), new InputTable(CopyColumns(_single!, dataColumns, _single!.Columns - dataColumns)));

    /// <summary>Trains <paramref name="algorithm"/> on these rows and <paramref name="target"/>'s, in their own type.</summary>
    public TResult Compute<TResult>(SupervisedAlgorithm<TResult> algorithm, InputTable target)
        => _double is not null ? algorithm.Compute(_double, target._double!)
            : _single is not null ? algorithm.Compute(_single, target._single!)
            : throw DenseOnly(algorithm.GetType().Name);

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

/// <summary>Where a rank's rows came from: the file, the global index of its first row in it, and for CSR files the line of the values.</summary>
internal sealed record InputOrigin(string Path, long FirstRow, long CsrValuesLine = 0);
