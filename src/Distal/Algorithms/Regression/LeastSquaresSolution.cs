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
    public static Table<double> Beta(LeastSquaresPartial partial, ReadOnlySpan<double> ridge, IDenseKernels kernels)
    {
        int p = partial.Features, k = partial.Responses;
        if (partial.Count == 0)
        {
            throw new DistalException(FailureKind.Input, "no rows: regression needs at least one row");
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
            NonFiniteInput.ThrowIfAny(crossProducts.CrossProduct);
            NonFiniteInput.ThrowIfAny(crossProducts.Mean);
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

        return beta;
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
