using Distal.Kernels;

namespace Distal.Algorithms;

/// <summary>
/// Turns a merged <see cref="LeastSquaresPartial"/> into daal4py's β (k×(p+1), intercept in column 0): slopes from
/// the p×p system of the centered statistics, intercepts β₀ = ȳ − x̄ᵀβ, so the intercept is never penalised.
/// </summary>
internal static class LeastSquaresSolution
{
    /// <summary>
    /// β from the partial; <paramref name="ridge"/> holds one penalty per response (all 0 for plain least squares),
    /// added to the diagonal of XᵀX (<c>normEqDense</c> only).
    /// </summary>
    public static Table<double> Beta(string algorithm, LeastSquaresPartial partial, ReadOnlySpan<double> ridge, IDenseKernels kernels)
    {
        int p = partial.Features, k = partial.Responses;
        if (partial.Count == 0)
        {
            throw new DistalException(FailureKind.Input, $"{algorithm}: no rows; training needs at least one");
        }

        var slopes = new double[p * k];
        ReadOnlySpan<double> mean;
        if (partial.RFactor is { } rFactor)
        {
            double[] r = rFactor.SquareR();
            Split(r, p, k, out var r11, out var r12);
            LeastSquaresSolver.SolveUpperTriangular(kernels, r11, p, r12, k, slopes);
            mean = rFactor.Mean;
        }
        else
        {
            var crossProducts = partial.CrossProducts!;
            ThrowIfNotFinite(algorithm, "mean", crossProducts.Mean, p, 1);
            ThrowIfNotFinite(algorithm, "cross-product", crossProducts.CrossProduct, p, p + k + 1);
            Split(crossProducts.CrossProduct, p, k, out var gram, out var xty);
            SolveNormalEquations(gram, xty, p, k, ridge, kernels, slopes);
            mean = crossProducts.Mean;
        }

        var beta = Table<double>.Create(k, p + 1);
        var b = beta.Span;
        for (int c = 0; c < k; c++)
        {
            double intercept = 0;
            if (partial.Intercept)
            {
                intercept = mean[p + c];
                for (int j = 0; j < p; j++)
                {
                    intercept -= mean[j] * slopes[(j * k) + c];
                }
            }

            b[c * (p + 1)] = intercept;
            for (int j = 0; j < p; j++)
            {
                b[(c * (p + 1)) + j + 1] = slopes[(j * k) + c];
            }
        }

        foreach (double v in b)
        {
            if (!double.IsFinite(v))
            {
                throw new DistalException(FailureKind.Numerical, $"{algorithm}: the coefficients are too large for double precision (scale the data down)");
            }
        }

        return beta;
    }

    /// <summary>
    /// Finite rows whose statistics leave the double range (squares of ±1e200) would give a silent ∞ or NaN; names the
    /// column of [X | Y] (diagonal entries first, where an overflow shows) as data or dependentVariables.
    /// </summary>
    private static void ThrowIfNotFinite(string algorithm, string statistic, ReadOnlySpan<double> values, int p, int stride)
    {
        int width = stride == 1 ? values.Length : stride - 1;
        for (int pass = 0; pass < 2; pass++)
        {
            for (int i = 0; i < values.Length; i++)
            {
                bool diagonal = stride == 1 || i % stride == 0;
                if ((pass == 0) == diagonal && !double.IsFinite(values[i]))
                {
                    int column = i % width;
                    string name = column < p ? $"data column {column + 1}" : $"dependentVariables column {column - p + 1}";
                    throw new DistalException(FailureKind.Input, $"{algorithm}: the {statistic} of {name} is not finite: its values are too large in magnitude (scale that column down) or include NaN or infinity");
                }
            }
        }
    }

    private static void SolveNormalEquations(double[] gram, double[] xty, int p, int k, ReadOnlySpan<double> ridge, IDenseKernels kernels, double[] slopes)
    {
        bool shared = true;
        for (int c = 1; c < k; c++)
        {
            shared &= ridge[c] == ridge[0];
        }

        if (shared)
        {
            LeastSquaresSolver.SolveNormalEquations(kernels, gram, p, xty, k, k == 0 ? 0.0 : ridge[0], slopes);
            return;
        }

        // A penalty per response is a different system per response.
        var column = new double[p];
        var solution = new double[p];
        for (int c = 0; c < k; c++)
        {
            for (int j = 0; j < p; j++)
            {
                column[j] = xty[(j * k) + c];
            }

            LeastSquaresSolver.SolveNormalEquations(kernels, gram, p, column, 1, ridge[c], solution);
            for (int j = 0; j < p; j++)
            {
                slopes[(j * k) + c] = solution[j];
            }
        }
    }

    /// <summary>The top-left p×p block and the top-right p×k block of a (p+k)×(p+k) row-major matrix.</summary>
    private static void Split(ReadOnlySpan<double> m, int p, int k, out double[] topLeft, out double[] topRight)
    {
        int width = p + k;
        topLeft = new double[p * p];
        topRight = new double[p * k];
        for (int i = 0; i < p; i++)
        {
            m.Slice(i * width, p).CopyTo(topLeft.AsSpan(i * p));
            m.Slice((i * width) + p, k).CopyTo(topRight.AsSpan(i * k));
        }
    }
}
