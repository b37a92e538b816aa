using System.Numerics;

namespace Distal.Algorithms;

/// <summary>
/// Multinomial naive Bayes training (daal4py's <c>multinomial_naive_bayes_training</c>): from rows of non-negative
/// counts and their class labels in [0, nClasses), the model's log class priors <c>logP</c> and per-class feature
/// log-probabilities <c>logTheta</c>. The partial result is the per-class feature sums and class counts, summed
/// across ranks, so it trains batch, streaming, distributed and streaming + distributed; dense and CSR rows give the
/// same model.
/// </summary>
/// <example>
/// <code>
/// var model = new MultinomialNaiveBayesTraining(20) { Distributed = true }.Compute(counts, labels);
/// var predicted = model.Predict(testCounts).Prediction;
/// </code>
/// </example>
public sealed class MultinomialNaiveBayesTraining : SupervisedAlgorithm<MultinomialNaiveBayesModel>, IMergeableAlgorithm<ClassFeatureSums, MultinomialNaiveBayesModel>
{
    private double[] _alpha = [1.0];

    /// <summary>Trains a model of <paramref name="nClasses"/> classes (daal4py's required <c>nClasses</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nClasses"/> is below 1.</exception>
    public MultinomialNaiveBayesTraining(int nClasses)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nClasses, 1);
        NClasses = nClasses;
    }

    /// <summary>Number of classes C; labels are 0 … C − 1.</summary>
    public int NClasses { get; }

    /// <summary>
    /// The smoothing (daal4py's <c>alpha</c>): one value for every feature, or one per feature; each positive. The
    /// default is 1 (Laplace smoothing).
    /// </summary>
    public IReadOnlyList<double> Alpha
    {
        get => _alpha;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            double[] copy = [.. value];
            NaiveBayesEstimates.CheckAlpha(copy);
            _alpha = copy;
        }
    }

    /// <summary>
    /// How the class priors are estimated (daal4py's <c>priorClassEstimates</c>): <see cref="ClassPrior.Uniform"/> by
    /// default, as daal4py; <see cref="ClassPrior.Empirical"/> for the training frequencies, as scikit-learn.
    /// </summary>
    public ClassPrior PriorClassEstimates { get; set; } = ClassPrior.Uniform;

    string IMergeableAlgorithm<ClassFeatureSums, MultinomialNaiveBayesModel>.Name => Name;

    string? IMergeableAlgorithm<ClassFeatureSums, MultinomialNaiveBayesModel>.TargetName => "labels";

    internal override PartialEngine<MultinomialNaiveBayesModel> Engine => PartialEngine.Of(this);

    private protected override string Name => "multinomial naive Bayes training";

    /// <summary>Trains on CSR rows of counts (this rank's rows when distributed) and their labels (n × 1).</summary>
    public MultinomialNaiveBayesModel Compute(CsrTable<double> data, Table<double> labels) => ComputeRows(data, labels);

    /// <summary>Trains on CSR rows of float counts and their labels; accumulation is in double.</summary>
    public MultinomialNaiveBayesModel Compute(CsrTable<float> data, Table<float> labels) => ComputeRows(data, labels);

    ClassFeatureSums IMergeableAlgorithm<ClassFeatureSums, MultinomialNaiveBayesModel>.CreatePartial(InputShape shape, ComputeContext context)
    {
        if (shape.TargetColumns != 1)
        {
            throw new DistalException(FailureKind.Input, $"labels must be one column, not {shape.TargetColumns}");
        }

        if (_alpha.Length != 1 && _alpha.Length != shape.DataColumns)
        {
            throw new DistalException(FailureKind.Usage, $"alpha has {_alpha.Length} values; give one, or one per feature ({shape.DataColumns})");
        }

        return new ClassFeatureSums(NClasses, shape.DataColumns);
    }

    void IMergeableAlgorithm<ClassFeatureSums, MultinomialNaiveBayesModel>.Accumulate<T>(ClassFeatureSums partial, AlgorithmInput<T> rows, ComputeContext context)
    {
        var labels = rows.RequiredTarget.Span;
        if (rows.Data is CsrTable<T> sparse)
        {
            partial.AddSparse(sparse, labels);
        }
        else
        {
            partial.AddDense<T>(rows.DenseData(Name).Span, labels);
        }
    }

    MultinomialNaiveBayesModel IMergeableAlgorithm<ClassFeatureSums, MultinomialNaiveBayesModel>.Finalize(ClassFeatureSums partial, ComputeContext context)
    {
        var (logP, logTheta) = NaiveBayesEstimates.Compute(partial, _alpha, PriorClassEstimates);
        return new MultinomialNaiveBayesModel(logP, Table.FromArray(logTheta, NClasses, partial.Features));
    }
}
