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
    ];

    public static MergeCase Named(string name) => All.Single(c => c.Name == name);
}

/// <summary>Generators of harness data.</summary>
public static class Data
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

/// <summary>Projections of results to the numbers the harness compares.</summary>
public static class Fields
{
    public static IEnumerable<(string, double[])> Moments(LowOrderMomentsResult r) =>
    [
        ("minimum", r.Minimum!), ("maximum", r.Maximum!), ("sum", r.Sum!), ("sumSquares", r.SumSquares!),
        ("sumSquaresCentered", r.SumSquaresCentered!), ("mean", r.Mean!), ("variance", r.Variance!),
    ];

    /// <summary>Eigenvalues, and the matrix Vᵀ·diag(λ)·V they and the eigenvectors rebuild (well conditioned even
    /// where single eigenvectors are not), with the means and variances.</summary>
    public static IEnumerable<(string, double[])> Pca(PcaResult r)
        => [("eigenvalues", r.Eigenvalues), ("rebuilt matrix", Rebuild(r.Eigenvectors, r.Eigenvalues)), ("means", r.Means!), ("variances", r.Variances!)];

    /// <summary>Singular values and Vᵀ·diag(s²)·V (= RᵀR = XᵀX, independent of the signs of the singular vectors).</summary>
    public static IEnumerable<(string, double[])> Svd(SvdResult r)
        => [("singularValues", r.SingularValues), ("VᵀS²V", Rebuild(r.RightSingularMatrix!, r.SingularValues.Select(s => s * s).ToArray()))];

    private static double[] Rebuild(Table<double> vectors, double[] weights)
    {
        int p = vectors.Columns;
        var matrix = new double[p * p];
        for (int k = 0; k < vectors.Rows; k++)
        {
            for (int i = 0; i < p; i++)
            {
                for (int j = 0; j < p; j++)
                {
                    matrix[(i * p) + j] += weights[k] * vectors[k, i] * vectors[k, j];
                }
            }
        }

        return matrix;
    }
}
