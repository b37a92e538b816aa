namespace Distal.Algorithms;

/// <summary>How multinomial naive Bayes estimates the class priors P(c).</summary>
public enum ClassPrior
{
    /// <summary>Every class equally likely, P(c) = 1/C: daal4py's default (its <c>priorClassEstimates</c> is uniform unless given).</summary>
    Uniform = 0,

    /// <summary>The class frequencies of the training rows, P(c) = n_c / n: scikit-learn's default (<c>fit_prior=True</c>).</summary>
    Empirical = 1,
}
