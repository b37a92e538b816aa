namespace Distal.Algorithms;

/// <summary>
/// Naive Bayes predictions for a set of rows, named as daal4py names them: the labels, and when asked the class
/// probabilities and log-probabilities (n × C, from the log-sum-exp of the joint log-likelihoods about each row's
/// largest, so they neither overflow nor underflow to a wrong answer).
/// </summary>
public sealed class MultinomialNaiveBayesPrediction
{
    private readonly int[] _prediction;

    internal MultinomialNaiveBayesPrediction(int[] prediction, Table<double>? probabilities, Table<double>? logProbabilities)
    {
        _prediction = prediction;
        Probabilities = probabilities;
        LogProbabilities = logProbabilities;
    }

    /// <summary>The predicted class of each row (the first most probable one on a tie).</summary>
    public ReadOnlySpan<int> Prediction => _prediction;

    /// <summary>P(c | row), n × C; null unless <see cref="NaiveBayesResults.ClassProbabilities"/> was asked.</summary>
    public Table<double>? Probabilities { get; }

    /// <summary>log P(c | row), n × C; null unless <see cref="NaiveBayesResults.ClassLogProbabilities"/> was asked.</summary>
    public Table<double>? LogProbabilities { get; }
}
