using System.Text.Json.Nodes;
using Distal.Arrow;
using Distal.Data;
using Distal.Parquet;
using Distal.Tests.Cli;

namespace Distal.Tests.Data;

/// <summary>
/// `--fptype float` end to end in every format: the values are read as float and accumulated in double, so the only
/// difference from the double run is each input rounded to float, |δ| ≤ u = 2⁻²⁴. Each statistic is compared per
/// entry against its own first-order bound, u times the statistic's condition computed from the data here (for a sum
/// u·Σ|x|; for a variance u·Σ 2|x − m||x| / (n − 1); for a covariance u·Σ (|x − m_x||y| + |y − m_y||x|) / (n − 1)),
/// doubled for the second-order terms and the double rounding of a double file's values to float.
/// </summary>
public sealed class FloatEndToEndTests : IDisposable
{
    private const double U = 5.9604644775390625e-8;

    private readonly TempDirectory _directory = new();

    public FloatEndToEndTests()
    {
        DataFile.Register(ParquetFormat.Instance);
        DataFile.Register(ArrowFormat.Instance);
    }

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("csv", "1")]
    [InlineData("npy", "2")]
    [InlineData("parquet", "3")]
    [InlineData("arrow", "2")]
    [InlineData("csr", "2")]
    public void Float_runs_are_within_the_float_bound_of_the_double_run_per_entry(string format, string ranks)
    {
        // Correlated columns around 50 with different spreads: values that are not floats, in every format.
        const int Rows = 3001;
        const int Columns = 4;
        var random = new Random(23);
        var table = Table<double>.Create(Rows, Columns);
        for (int r = 0; r < Rows; r++)
        {
            double shared = random.NextDouble() - 0.5;
            for (int c = 0; c < Columns; c++)
            {
                table[r, c] = 50 + (shared * (c + 1)) + ((random.NextDouble() - 0.5) * (c + 0.5));
            }
        }

        string path = _directory.File($"data.{format}");
        if (format == "csr")
        {
            CsrWriter.Write(path, CsrTable.FromDense(table));
        }
        else
        {
            DataFile.FormatOf(path).Write(path, table);
        }

        var (sumBound, varianceBound, covarianceBound) = Bounds(table);
        JsonObject Run(string command, string type) => DistalProcess.RunJson(command, "--ranks", ranks, "--fptype", type, path);

        var momentsDouble = Run("low-order-moments", "double");
        var momentsFloat = Run("low-order-moments", "float");
        Within(momentsDouble, momentsFloat, "sum", sumBound);
        Within(momentsDouble, momentsFloat, "mean", [.. sumBound.Select(b => b / Rows)]);
        Within(momentsDouble, momentsFloat, "variance", varianceBound);

        // A minimum or maximum is one value rounded to float.
        double[] minimum = DistalProcess.Flatten(momentsDouble["minimum"]);
        Within(momentsDouble, momentsFloat, "minimum", [.. minimum.Select(m => Math.Abs(m) * U / 2)]);
        Within(momentsDouble, momentsFloat, "covariance", covarianceBound, Run("covariance", "double"), Run("covariance", "float"));
    }

    /// <summary>|float − double| ≤ 2·bound per entry (and the float run really differs from the double one somewhere).</summary>
    private static void Within(JsonObject doubles, JsonObject floats, string key, double[] bound, JsonObject? doubleOther = null, JsonObject? floatOther = null)
    {
        double[] expected = DistalProcess.Flatten((doubleOther ?? doubles)[key]);
        double[] actual = DistalProcess.Flatten((floatOther ?? floats)[key]);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]);
            Assert.True(error <= 2 * bound[i], $"{key}[{i}]: double {expected[i]:R}, float {actual[i]:R}: error {error:E2} > 2 × bound {bound[i]:E2}");
        }

        Assert.True(key.StartsWith("min", StringComparison.Ordinal) || !expected.SequenceEqual(actual), $"{key}: the float run gave the double run's bits, so the values were not read as float");
    }

    /// <summary>First-order bounds of the change of each statistic when every input moves by at most u relatively.</summary>
    private static (double[] Sum, double[] Variance, double[] Covariance) Bounds(Table<double> x)
    {
        int n = x.Rows;
        int p = x.Columns;
        double[] mean = new double[p];
        double[] sum = new double[p];
        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < p; c++)
            {
                mean[c] += x[r, c] / n;
                sum[c] += Math.Abs(x[r, c]) * U;
            }
        }

        double[] covariance = new double[p * p];
        for (int r = 0; r < n; r++)
        {
            for (int a = 0; a < p; a++)
            {
                for (int b = 0; b < p; b++)
                {
                    covariance[(a * p) + b] += U * ((Math.Abs(x[r, a] - mean[a]) * Math.Abs(x[r, b])) + (Math.Abs(x[r, b] - mean[b]) * Math.Abs(x[r, a]))) / (n - 1);
                }
            }
        }

        double[] variance = [.. Enumerable.Range(0, p).Select(c => covariance[(c * p) + c])];
        return (sum, variance, covariance);
    }
}
