using System.Numerics;
using Distal.Kernels;

namespace Distal.Algorithms;

/// <summary>
/// A trained linear model in daal4py's layout: <see cref="Beta"/> is k×(p+1), one row per response, the intercept in
/// column 0 (0 without an intercept) and the p slopes after it. Saved and loaded as JSON (<see cref="Model.Save"/>).
/// </summary>
public abstract class RegressionModel : Model
{
    // Up to this many responses, prediction takes row-by-row dot products instead of the blocked product.
    private const int DotResponses = 4;

    private readonly double[] _beta;

    private protected RegressionModel(Table<double> beta, bool interceptFlag)
    {
        ArgumentNullException.ThrowIfNull(beta);
        if (beta.Rows < 1 || beta.Columns < 1)
        {
            throw new ArgumentException($"beta is {beta.Rows}×{beta.Columns}: a model needs at least one response and the intercept column", nameof(beta));
        }

        _beta = beta.Span.ToArray();
        NumberOfResponses = beta.Rows;
        NumberOfBetas = beta.Columns;
        InterceptFlag = interceptFlag;
    }

    /// <summary>The coefficients, k×(p+1): intercept in column 0, then one slope per feature (a copy).</summary>
    public Table<double> Beta => Table.FromArray((double[])_beta.Clone(), NumberOfResponses, NumberOfBetas);

    /// <summary>p + 1: the columns of <see cref="Beta"/>.</summary>
    public int NumberOfBetas { get; }

    /// <summary>k: the rows of <see cref="Beta"/>.</summary>
    public int NumberOfResponses { get; }

    /// <summary>p: the number of features the model takes.</summary>
    public int NumberOfFeatures => NumberOfBetas - 1;

    /// <summary>Whether the model was trained with an intercept (column 0 of <see cref="Beta"/> is 0 when not).</summary>
    public bool InterceptFlag { get; }

    internal override int Version => 1;

    internal override void Write(ModelWriter writer)
    {
        writer.Add("beta", Table.FromArray(_beta, NumberOfResponses, NumberOfBetas));
        writer.Add("numberOfBetas", NumberOfBetas);
        writer.Add("numberOfResponses", NumberOfResponses);
        writer.Add("interceptFlag", InterceptFlag);
        writer.Add("numberOfFeatures", NumberOfFeatures);
    }

    /// <summary>Reads the fields every regression model file has, and checks that they agree with each other.</summary>
    private protected static (Table<double> Beta, bool InterceptFlag) ReadFields(ModelReader reader)
    {
        var beta = reader.Matrix("beta");
        bool intercept = reader.Bool("interceptFlag");
        if (beta.Rows < 1 || beta.Columns < 1)
        {
            throw reader.Invalid("beta", $"is {beta.Rows}×{beta.Columns}; a model needs at least one response and the intercept column");
        }

        Check(reader, "numberOfBetas", beta.Columns);
        Check(reader, "numberOfResponses", beta.Rows);
        Check(reader, "numberOfFeatures", beta.Columns - 1);
        return (beta, intercept);
    }

    /// <summary>ŷ = β₀ + X·β₁..ₚᵀ for this rank's rows (n×p) → n×k; the width is checked against the model.</summary>
    internal Table<double> Predict<T>(Table<T> data, ComputeContext context)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int n = data.Rows, p = NumberOfFeatures, k = NumberOfResponses;
        if (n > 0 && data.Columns != p)
        {
            throw new DistalException(FailureKind.Input, $"data has {data.Columns} columns but the model has {p} features");
        }

        var prediction = Table<double>.Create(n, k);
        if (n == 0)
        {
            return prediction;
        }

        var slopes = new double[k * p];
        for (int c = 0; c < k; c++)
        {
            _beta.AsSpan((c * NumberOfBetas) + 1, p).CopyTo(slopes.AsSpan(c * p));
        }

        var x = (object)data as Table<double> ?? data.ToDouble();
        if (k > DotResponses)
        {
            context.Kernels.MultiplyTransposed(x.Span, n, p, slopes, k, prediction.Span, context.Threads);
            AddIntercepts(prediction.Span, 0, n);
            return prediction;
        }

        // Few responses: one dot product per row and response streams X once at memory speed; the blocked product's
        // packing and k-wide tiles cost more than they save here (1e6×50, k = 1, one thread: 0.078 s vs numpy's 0.047).
        int blocks = (int)Math.Clamp((long)n * p / (1 << 16), 1, context.Threads);
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = blocks }, b =>
        {
            int start = (int)((long)n * b / blocks), end = (int)((long)n * (b + 1) / blocks);
            var xs = x.Span;
            var y = prediction.Span;
            for (int i = start; i < end; i++)
            {
                var row = xs.Slice(i * p, p);
                for (int c = 0; c < k; c++)
                {
                    y[(i * k) + c] = VectorOps.Dot(row, slopes.AsSpan(c * p, p));
                }
            }

            AddIntercepts(y, start, end);
        });
        return prediction;
    }

    private void AddIntercepts(Span<double> y, int start, int end)
    {
        int k = NumberOfResponses;
        for (int i = start; i < end; i++)
        {
            for (int c = 0; c < k; c++)
            {
                y[(i * k) + c] += _beta[c * NumberOfBetas];
            }
        }
    }

    private static void Check(ModelReader reader, string name, int expected)
    {
        if (reader.Has(name) && reader.Long(name) != expected)
        {
            throw reader.Invalid(name, $"is {reader.Long(name)} but beta implies {expected}");
        }
    }
}
