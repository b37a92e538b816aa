namespace Distal.Algorithms;

/// <summary>
/// Turns per-class feature sums into the model's log-probabilities, as daal4py and scikit-learn define them:
/// logTheta[c, j] = log(S_cj + α_j) − log(Σ_k (S_ck + α_k)) and logP[c] = −log C (uniform) or log(n_c / n) (empirical).
/// </summary>
internal static class NaiveBayesEstimates
{
    public static (double[] LogP, double[] LogTheta) Compute(ClassFeatureSums sums, ReadOnlySpan<double> alpha, ClassPrior prior)
    {
        int classes = sums.Classes;
        int p = sums.Features;
        if (alpha.Length != 1 && alpha.Length != p)
        {
            throw new DistalException(FailureKind.Usage, $"alpha has {alpha.Length} values; give one, or one per feature ({p})");
        }

        long rows = sums.Rows;
        if (rows == 0)
        {
            throw new DistalException(FailureKind.Input, "no training rows");
        }

        var logTheta = new double[classes * p];
        var smoothed = new double[p];
        for (int c = 0; c < classes; c++)
        {
            // Summed in column order after smoothing, as scikit-learn's smoothed_fc.sum(axis=1) does.
            double total = 0;
            for (int j = 0; j < p; j++)
            {
                smoothed[j] = sums.Sums[(c * p) + j] + alpha[alpha.Length == 1 ? 0 : j];
                total += smoothed[j];
            }

            double logTotal = Math.Log(total);
            for (int j = 0; j < p; j++)
            {
                logTheta[(c * p) + j] = Math.Log(smoothed[j]) - logTotal;
            }
        }

        var logP = new double[classes];
        for (int c = 0; c < classes; c++)
        {
            if (prior == ClassPrior.Uniform)
            {
                logP[c] = -Math.Log(classes);
            }
            else if (sums.Counts[c] == 0)
            {
                throw new DistalException(FailureKind.Input, $"class {c} has no training rows, so its empirical prior is 0 and its log-prior −∞; use the uniform prior or fewer classes");
            }
            else
            {
                logP[c] = Math.Log(sums.Counts[c]) - Math.Log(rows);
            }
        }

        return (logP, logTheta);
    }

    /// <summary>Checks alpha: one value or one per feature, each positive and finite.</summary>
    public static void CheckAlpha(ReadOnlySpan<double> alpha)
    {
        if (alpha.IsEmpty)
        {
            throw new DistalException(FailureKind.Usage, "alpha needs at least one value");
        }

        foreach (double a in alpha)
        {
            if (!(a > 0) || !double.IsFinite(a))
            {
                throw new DistalException(FailureKind.Usage, $"alpha must be positive and finite, not {a.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");
            }
        }
    }
}
