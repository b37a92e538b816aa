using System.Numerics;
using Distal.Communication;
using Distal.Kernels;

namespace Distal.Algorithms;

/// <summary>
/// Projects rows onto principal components (daal4py's <c>pca_transform</c>):
/// t = ((x − mean) / √variance) · E_kᵀ / √eigenvalue, with E_k the first <see cref="NComponents"/> eigenvectors and each
/// step applied only when <see cref="PcaTransformData"/> holds its vector (whitening needs the eigenvalues). Works on
/// each rank's own rows; in distributed mode the ranks only agree on errors.
/// </summary>
/// <example>
/// <code>
/// var pca = new Pca { ResultsToCompute = PcaResultsToCompute.Mean | PcaResultsToCompute.Variance | PcaResultsToCompute.Eigenvalue }.Compute(data);
/// var scores = new PcaTransform(pca) { NComponents = 2 }.Compute(data).TransformedData;
/// </code>
/// </example>
public sealed class PcaTransform : Algorithm<PcaTransformResult>
{
    private readonly Table<double> _eigenvectors;
    private readonly PcaTransformData _data;
    private int _nComponents;

    /// <summary>Transforms with the components of <paramref name="pca"/> and its <see cref="PcaResult.DataForTransform"/>.</summary>
    public PcaTransform(PcaResult pca)
        : this(pca?.Eigenvectors!, pca?.DataForTransform)
    {
    }

    /// <summary>Transforms with the components and transform data of a trained (or loaded) <paramref name="model"/>.</summary>
    public PcaTransform(PcaModel model)
        : this(model?.Eigenvectors!, model?.DataForTransform)
    {
    }

    /// <summary>Transforms with explicit eigenvectors (rows are components) and optional transform data.</summary>
    public PcaTransform(Table<double> eigenvectors, PcaTransformData? dataForTransform = null)
    {
        ArgumentNullException.ThrowIfNull(eigenvectors);
        _eigenvectors = eigenvectors;
        _data = dataForTransform ?? new PcaTransformData(null, null, null);
        Validate(_eigenvectors, _data);
    }

    /// <summary>Checks that the transform data fit the eigenvectors.</summary>
    /// <exception cref="ArgumentException">A vector has the wrong length.</exception>
    internal static void Validate(Table<double> eigenvectors, PcaTransformData data)
    {
        int p = eigenvectors.Columns;
        Check(data.Mean, p, "mean");
        Check(data.Variance, p, "variance");
        if (data.Eigenvalue is { } values && values.Length < eigenvectors.Rows)
        {
            throw new ArgumentException($"{values.Length} eigenvalues for {eigenvectors.Rows} eigenvectors", "dataForTransform");
        }
    }

    /// <summary>Number of components kept (daal4py's <c>nComponents</c>); 0 (the default) means every eigenvector given.</summary>
    public int NComponents
    {
        get => _nComponents;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _nComponents = value;
        }
    }

    private protected override string Name => "pca transform";

    internal override PcaTransformResult ComputeDense<T>(Table<T> data, ComputeContext context)
        => context.Communicator.Collectively(() => Transform(data, context));

    private PcaTransformResult Transform<T>(Table<T> data, ComputeContext context)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int p = _eigenvectors.Columns;
        int k = _nComponents == 0 ? _eigenvectors.Rows : _nComponents;
        if (k > _eigenvectors.Rows)
        {
            throw new DistalException(FailureKind.Usage, $"nComponents is {k} but there are {_eigenvectors.Rows} eigenvectors");
        }

        if (data.Rows > 0 && data.Columns != p)
        {
            throw new DistalException(FailureKind.Input, $"rows have {data.Columns} columns; the components have {p}");
        }

        int n = data.Rows;
        var prepared = new double[n * p];
        var source = data.Span;
        var mean = _data.Mean;
        var scale = _data.Variance?.Select(v => v > 0 ? 1.0 / Math.Sqrt(v) : 0.0).ToArray();
        for (int i = 0; i < n; i++)
        {
            var row = prepared.AsSpan(i * p, p);
            var x = source.Slice(i * p, p);
            for (int j = 0; j < p; j++)
            {
                double value = double.CreateTruncating(x[j]);
                if (mean is not null)
                {
                    value -= mean[j];
                }

                row[j] = scale is null ? value : value * scale[j];
            }
        }

        var result = Table<double>.Create(n, k);
        if (n > 0 && k > 0)
        {
            context.Kernels.MultiplyTransposed(prepared, n, p, _eigenvectors.Span[..(k * p)], k, result.Span, context.Threads);
        }

        if (_data.Eigenvalue is { } eigenvalues)
        {
            var whiten = eigenvalues.Take(k).Select(v => v > 0 ? 1.0 / Math.Sqrt(v) : 0.0).ToArray();
            var t = result.Span;
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < k; j++)
                {
                    t[(i * k) + j] *= whiten[j];
                }
            }
        }

        return new PcaTransformResult(result);
    }

    private static void Check(double[]? values, int p, string name)
    {
        if (values is not null && values.Length != p)
        {
            throw new ArgumentException($"{name} has {values.Length} values; the components have {p} columns", nameof(values));
        }
    }
}
