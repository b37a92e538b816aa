using System.Numerics;
using Distal.Communication;
using Distal.Kernels;

namespace Distal.Algorithms;

/// <summary>
/// A trained multinomial naive Bayes model: log class priors <c>logP</c> (C) and per-class feature log-probabilities
/// <c>logTheta</c> (C × p), daal4py's names. <see cref="Predict(Table{double}, NaiveBayesResults)"/> classifies rows
/// (dense or CSR) locally, with no communication, so each rank predicts its own rows. Saved as
/// <c>"algorithm": "multinomial-naive-bayes"</c>.
/// </summary>
public sealed class MultinomialNaiveBayesModel : Model, IModelReader<MultinomialNaiveBayesModel>
{
    private readonly double[] _logP;
    private readonly double[] _logTheta;

    /// <summary>Creates a model from its log-priors (C) and log-probabilities (C × p); both are copied.</summary>
    /// <exception cref="DistalException">The shapes disagree or a value is not finite.</exception>
    public MultinomialNaiveBayesModel(ReadOnlySpan<double> logP, Table<double> logTheta)
    {
        ArgumentNullException.ThrowIfNull(logTheta);
        if (logP.Length < 1 || logTheta.Rows != logP.Length || logTheta.Columns < 1)
        {
            throw new DistalException(FailureKind.Usage, $"a naive Bayes model needs logP of C ≥ 1 values and logTheta of C × p (p ≥ 1); got {logP.Length} and {logTheta.Rows}×{logTheta.Columns}");
        }

        foreach (double v in logTheta.Span)
        {
            if (!double.IsFinite(v))
            {
                throw new DistalException(FailureKind.Usage, "logTheta must be finite");
            }
        }

        _logP = logP.ToArray();
        _logTheta = logTheta.Span.ToArray();
        Classes = logP.Length;
        Features = logTheta.Columns;
    }

    static string IModelReader<MultinomialNaiveBayesModel>.AlgorithmName => "multinomial-naive-bayes";

    static int IModelReader<MultinomialNaiveBayesModel>.LatestVersion => 1;

    /// <inheritdoc/>
    public override string Algorithm => "multinomial-naive-bayes";

    /// <summary>Number of classes C.</summary>
    public int Classes { get; }

    /// <summary>Number of features p.</summary>
    public int Features { get; }

    /// <summary>Log class priors log P(c) (a copy).</summary>
    public double[] LogP => (double[])_logP.Clone();

    /// <summary>Per-class feature log-probabilities log θ_cj, C × p (a copy).</summary>
    public Table<double> LogTheta => Table.FromArray((double[])_logTheta.Clone(), Classes, Features);

    internal override int Version => 1;

    /// <summary>Loads a model saved by <see cref="Model.Save"/> (or written by <c>distal multinomial-naive-bayes-training</c>).</summary>
    /// <exception cref="DistalException">The file is missing, malformed, or not a naive Bayes model.</exception>
    public static MultinomialNaiveBayesModel Load(string path) => Load<MultinomialNaiveBayesModel>(path);

    static MultinomialNaiveBayesModel IModelReader<MultinomialNaiveBayesModel>.Read(ModelReader reader)
    {
        var logP = reader.Vector("logP");
        var logTheta = reader.Matrix("logTheta");
        if (logTheta.Rows != logP.Length)
        {
            throw reader.Invalid("logTheta", $"has {logTheta.Rows} rows; logP has {logP.Length} classes");
        }

        return new MultinomialNaiveBayesModel(logP, logTheta);
    }

    internal override void Write(ModelWriter writer)
    {
        writer.Add("logP", _logP);
        writer.Add("logTheta", LogTheta);
    }

    /// <summary>Classifies dense rows of counts (daal4py's <c>multinomial_naive_bayes_prediction</c>): labels only.</summary>
    public MultinomialNaiveBayesPrediction Predict(Table<double> rows) => PredictRows(rows, NaiveBayesResults.ClassLabels);

    /// <summary>Classifies dense rows of counts, computing <paramref name="results"/> (daal4py's <c>resultsToEvaluate</c>).</summary>
    public MultinomialNaiveBayesPrediction Predict(Table<double> rows, NaiveBayesResults results) => PredictRows(rows, results);

    /// <summary>Classifies dense rows of float counts (scores in double): labels only.</summary>
    public MultinomialNaiveBayesPrediction Predict(Table<float> rows) => PredictRows(rows, NaiveBayesResults.ClassLabels);

    /// <summary>Classifies dense rows of float counts (scores in double), computing <paramref name="results"/>.</summary>
    public MultinomialNaiveBayesPrediction Predict(Table<float> rows, NaiveBayesResults results) => PredictRows(rows, results);

    /// <summary>Classifies CSR rows of counts, touching only the stored values: labels only.</summary>
    public MultinomialNaiveBayesPrediction Predict(CsrTable<double> rows) => PredictRows(rows, NaiveBayesResults.ClassLabels);

    /// <summary>Classifies CSR rows of counts, computing <paramref name="results"/>.</summary>
    public MultinomialNaiveBayesPrediction Predict(CsrTable<double> rows, NaiveBayesResults results) => PredictRows(rows, results);

    /// <summary>Classifies CSR rows of float counts (scores in double): labels only.</summary>
    public MultinomialNaiveBayesPrediction Predict(CsrTable<float> rows) => PredictRows(rows, NaiveBayesResults.ClassLabels);

    /// <summary>Classifies CSR rows of float counts (scores in double), computing <paramref name="results"/>.</summary>
    public MultinomialNaiveBayesPrediction Predict(CsrTable<float> rows, NaiveBayesResults results) => PredictRows(rows, results);

    private MultinomialNaiveBayesPrediction PredictRows<T>(IRowTable<T> rows, NaiveBayesResults results)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(rows);
        bool tooWide = rows.ColumnsIsLowerBound ? rows.Columns > Features : rows.Columns != Features;
        if (rows.Rows > 0 && tooWide)
        {
            throw new DistalException(FailureKind.Input, $"rows have {rows.Columns} columns; the model has {Features} features");
        }

        int n = rows.Rows;
        int c = Classes;
        var labels = new int[n];
        bool wantLog = results.HasFlag(NaiveBayesResults.ClassLogProbabilities);
        bool wantProbabilities = results.HasFlag(NaiveBayesResults.ClassProbabilities);
        var logProbabilities = wantLog ? new double[n * c] : null;
        var probabilities = wantProbabilities ? new double[n * c] : null;
        int blocks = (n + NaiveBayesScores.BlockRows - 1) / NaiveBayesScores.BlockRows;
        int threads = Math.Min(Math.Max(1, blocks), ThreadBudget.For(SelfCommunicator.Instance));
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, worker =>
        {
            var scores = new double[NaiveBayesScores.BlockRows * c];
            var scratch = typeof(T) == typeof(double) ? [] : new double[NaiveBayesScores.BlockRows * Features];
            for (int block = worker; block < blocks; block += threads)
            {
                int start = block * NaiveBayesScores.BlockRows;
                int count = Math.Min(NaiveBayesScores.BlockRows, n - start);
                var blockScores = scores.AsSpan(0, count * c);
                if (rows is CsrTable<T> sparse)
                {
                    NaiveBayesScores.Sparse(sparse.SliceRows(start, count), _logTheta, _logP, blockScores);
                }
                else
                {
                    var dense = ((Table<T>)rows).SliceRows(start, count);
                    NaiveBayesScores.Dense<T>(dense.Span, count, Features, _logTheta, _logP, blockScores, scratch);
                }

                NaiveBayesScores.Finish(
                    blockScores,
                    c,
                    labels.AsSpan(start, count),
                    logProbabilities is null ? default : logProbabilities.AsSpan(start * c, count * c),
                    probabilities is null ? default : probabilities.AsSpan(start * c, count * c));
            }
        });

        return new MultinomialNaiveBayesPrediction(
            labels,
            probabilities is null ? null : Table.FromArray(probabilities, n, c),
            logProbabilities is null ? null : Table.FromArray(logProbabilities, n, c));
    }
}
