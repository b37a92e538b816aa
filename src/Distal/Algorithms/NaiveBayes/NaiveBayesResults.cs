namespace Distal.Algorithms;

/// <summary>What naive Bayes prediction computes (daal4py's <c>resultsToEvaluate</c>); combine with |.</summary>
[Flags]
public enum NaiveBayesResults
{
    /// <summary>The most probable class of each row (<c>computeClassLabels</c>).</summary>
    ClassLabels = 1,

    /// <summary>P(c | row) for every class (<c>computeClassProbabilities</c>).</summary>
    ClassProbabilities = 2,

    /// <summary>log P(c | row) for every class (<c>computeClassLogProbabilities</c>).</summary>
    ClassLogProbabilities = 4,
}
