using Distal.Algorithms;

namespace Distal.Tests.Harness;

/// <summary>
/// Every mergeable algorithm, each on one line: the shared harness (<see cref="MergeHarnessTests"/>) runs all of its
/// checks on each. A new algorithm joins by adding its line here.
/// </summary>
public static class MergeCases
{
    public static readonly IReadOnlyList<MergeCase> All =
    [
        new MergeCase<LowOrderMomentsResult>("low order moments", () => new LowOrderMoments(), Fields.Moments, Data.Dense(7)),
        new MergeCase<CovarianceResult>("covariance", () => new Covariance(), r => [("covariance", r.Covariance!.Span.ToArray()), ("mean", r.Mean)], Data.Dense(6)),
        new MergeCase<CovarianceResult>("correlation", () => new Covariance { OutputMatrixType = OutputMatrixType.CorrelationMatrix }, r => [("correlation", r.Correlation!.Span.ToArray()), ("mean", r.Mean)], Data.Dense(6)),
        new MergeCase<PcaResult>("pca correlationDense", () => new Pca { IsDeterministic = true }, Fields.Pca, Data.Dense(5)),
        new MergeCase<PcaResult>("pca svdDense", () => new Pca { Method = PcaMethod.SvdDense, IsDeterministic = true }, Fields.Pca, Data.Dense(5)),
        new MergeCase<QrResult>("qr", () => new Qr(), r => [("matrixR", r.MatrixR.Span.ToArray())], Data.Dense(5)),
        new MergeCase<SvdResult>("svd", () => new Svd { LeftSingularMatrix = SingularMatrixOutput.NotRequired }, Fields.Svd, Data.Dense(5)),
        new MergeCase<LinearRegressionModel>("linear regression normEqDense", () => new LinearRegressionTraining(), r => [("beta", r.Beta.Span.ToArray())], Data.Regression(5, 2)),
        new MergeCase<LinearRegressionModel>("linear regression qrDense", () => new LinearRegressionTraining { Method = LinearRegressionMethod.QrDense }, r => [("beta", r.Beta.Span.ToArray())], Data.Regression(5, 2)),
        new MergeCase<RidgeRegressionModel>("ridge regression", () => new RidgeRegressionTraining { RidgeParameters = [0.5, 30] }, r => [("beta", r.Beta.Span.ToArray())], Data.Regression(5, 2)),
        new MergeCase<MultinomialNaiveBayesModel>("multinomial naive Bayes", () => new MultinomialNaiveBayesTraining(4) { PriorClassEstimates = ClassPrior.Empirical, Alpha = [0.5, 1, 2, 0.25, 1, 3] }, r => [("logP", r.LogP), ("logTheta", r.LogTheta.Span.ToArray())], Data.Counts(6, 4)),
    ];

    public static MergeCase Named(string name) => All.Single(c => c.Name == name);
}

/// <summary>Generators of harness data.</summary>
public static partial class Data
{
    /// <summary>
    /// Dense rows of <paramref name="columns"/> columns: each column an offset plus a spread of its own (so means,
    /// spreads and correlations differ by column), no target.
    /// </summary>
    public static Func<Random, int, (Table<double> Data, Table<double>? Target)> Dense(int columns) => (random, rows) =>
    {
        var table = Table<double>.Create(rows, columns);
        for (int i = 0; i < rows; i++)
        {
            double common = random.NextDouble();
            for (int j = 0; j < columns; j++)
            {
                table[i, j] = (j * 3.5) - 4 + ((j + 1) * random.NextDouble()) + (0.3 * j * common);
            }
        }

        return (table, null);
    };

    /// <summary>
    /// <see cref="Dense"/> features (<paramref name="features"/> columns) and <paramref name="responses"/> noisy
    /// linear responses of them (different coefficients per response).
    /// </summary>
    public static Func<Random, int, (Table<double> Data, Table<double>? Target)> Regression(int features, int responses) => (random, rows) =>
    {
        var (x, _) = Dense(features)(random, rows);
        var y = Table<double>.Create(rows, responses);
        for (int i = 0; i < rows; i++)
        {
            for (int c = 0; c < responses; c++)
            {
                double v = c + 1 + random.NextDouble();
                for (int j = 0; j < features; j++)
                {
                    v += x[i, j] * ((j + 1) * (c % 2 == 0 ? 0.5 : -0.25));
                }

                y[i, c] = v;
            }
        }

        return (x, y);
    };
}

/// <summary>Generators of labelled count data.</summary>
public static partial class Data
{
    /// <summary>
    /// Non-negative counts (a few zeros, some fractional, as tf-idf-like weights are) in <paramref name="columns"/>
    /// columns, with labels 0 … classes − 1 whose rows favour different columns.
    /// </summary>
    public static Func<Random, int, (Table<double> Data, Table<double>? Target)> Counts(int columns, int classes) => (random, rows) =>
    {
        var table = Table<double>.Create(rows, columns);
        var labels = Table<double>.Create(rows, 1);
        for (int i = 0; i < rows; i++)
        {
            int c = random.Next(classes);
            labels[i, 0] = c;
            for (int j = 0; j < columns; j++)
            {
                table[i, j] = random.Next(4) == 0 ? 0 : Math.Round(random.NextDouble() * (1 + ((c + j) % 3)) * 8, 2);
            }
        }

        return (table, labels);
    };
}

/// <summary>Projections of results to the numbers the harness compares.</summary>
public static class Fields
{
    public static IEnumerable<Field> Moments(LowOrderMomentsResult r) =>
    [
        ("minimum", r.Minimum!), ("maximum", r.Maximum!), ("sum", r.Sum!), ("sumSquares", r.SumSquares!),
        ("sumSquaresCentered", r.SumSquaresCentered!), ("mean", r.Mean!), ("variance", r.Variance!),
    ];

    /// <summary>Eigenvalues, and the matrix Vᵀ·diag(λ)·V they and the eigenvectors rebuild (well conditioned even
    /// where single eigenvectors are not), with the means and variances.</summary>
    public static IEnumerable<Field> Pca(PcaResult r)
        => [("eigenvalues", r.Eigenvalues), Rebuilt("rebuilt matrix", r.Eigenvectors, r.Eigenvalues), ("means", r.Means!), ("variances", r.Variances!)];

    /// <summary>Singular values and Vᵀ·diag(s²)·V (= RᵀR = XᵀX, independent of the signs of the singular vectors).</summary>
    public static IEnumerable<Field> Svd(SvdResult r)
        => [("singularValues", r.SingularValues), Rebuilt("VᵀS²V", r.RightSingularMatrix!, r.SingularValues.Select(s => s * s).ToArray())];

    /// <summary>Σₖ wₖ·vₖvₖᵀ, each entry with its rounding scale Σₖ |wₖ·vₖᵢ·vₖⱼ|.</summary>
    private static Field Rebuilt(string name, Table<double> vectors, double[] weights)
    {
        int p = vectors.Columns;
        var matrix = new double[p * p];
        var scale = new double[p * p];
        for (int k = 0; k < vectors.Rows; k++)
        {
            for (int i = 0; i < p; i++)
            {
                for (int j = 0; j < p; j++)
                {
                    double term = weights[k] * vectors[k, i] * vectors[k, j];
                    matrix[(i * p) + j] += term;
                    scale[(i * p) + j] += Math.Abs(term);
                }
            }
        }

        return new Field(name, matrix, scale);
    }
}
