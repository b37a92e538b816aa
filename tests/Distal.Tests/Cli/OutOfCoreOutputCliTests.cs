using System.Globalization;
using Distal.Data;
using Distal.Tests.Data;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Cli;

/// <summary>
/// Per-rank outputs under `--chunk-rows`: Q of QR and U of the SVD take a second pass over the input (said on stderr),
/// predictions and PCA scores stream in one pass; each is written chunk by chunk and equals the in-memory output.
/// </summary>
public sealed class OutOfCoreOutputCliTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    /// <summary>1201 × 4 (+ 1 response) with distinct column scales and weak correlation: condition number about 10.</summary>
    private string WriteData(string name, int columns)
    {
        var random = new Random(3);
        var table = Table<double>.Create(1201, columns);
        for (int r = 0; r < table.Rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                table[r, c] = ((c + 1) * (random.NextDouble() - 0.5)) + (0.1 * c);
            }
        }

        string path = _directory.File(name);
        DataFile.FormatOf(path).Write(path, table);
        return path;
    }

    private string Run(string directory, params string[] arguments)
    {
        string output = Directory.CreateDirectory(_directory.File(directory)).FullName;
        var (code, stdout, stderr) = DistalProcess.Run([.. arguments, "--local-output-dir", output]);
        Assert.True(code == 0, $"exit {code}: {stderr}");
        return stderr + stdout;
    }

    private double[] Local(string directory, string name, int ranks)
        => [.. Enumerable.Range(0, ranks).SelectMany(r => File.ReadAllLines(Path.Combine(_directory.File(directory), $"{name}_{r}.csv")))
            .SelectMany(line => line.Split(',')).Select(v => double.Parse(v, CultureInfo.InvariantCulture))];

    [Theory]
    [InlineData("qr", "matrixQ", "Q")]
    [InlineData("svd", "leftSingularMatrix", "U")]
    public void Q_and_u_take_an_announced_second_pass_and_equal_the_in_memory_rows(string command, string name, string what)
    {
        string data = WriteData("x.csv", 4);
        Run("memory", command, "--ranks", "3", data);
        string said = Run("streamed", command, "--ranks", "3", "--chunk-rows", "100", data);
        Assert.Contains($"{command}: {what} needs the rows again", said, StringComparison.Ordinal);
        double[] expected = Local("memory", name, 3);
        double[] actual = Local("streamed", name, 3);

        // X·R⁻¹ (or X·V·diag(s)⁻¹) against TSQR's Q·U_r: both within a few ε·cond(X) ≈ 1e-15 of the exact factor,
        // relative to the column's size, so each entry is compared against its column's largest magnitude.
        double[] scale = new double[expected.Length];
        for (int c = 0; c < 4; c++)
        {
            double max = 0;
            for (int i = c; i < expected.Length; i += 4)
            {
                max = Math.Max(max, Math.Abs(expected[i]));
            }

            for (int i = c; i < expected.Length; i += 4)
            {
                scale[i] = max;
            }
        }

        Compare.Scaled(expected, actual, scale, 1e-12, what: name);
    }

    [Fact]
    public void Predictions_and_pca_scores_stream_in_one_pass_with_the_in_memory_values()
    {
        string data = WriteData("xy.csv", 5);
        string features = WriteData("x.npy", 4);
        string regression = _directory.File("lr.json");
        string pca = _directory.File("pca.json");
        DistalProcess.RunJson("linear-regression-training", "--responses", "1", "--model-output", regression, data);
        DistalProcess.RunJson("pca", "--model-output", pca, features);

        string memory = Run("memory", "linear-regression-prediction", "--model", regression, "--responses", "1", "--ranks", "2", data);
        string streamed = Run("streamed", "linear-regression-prediction", "--model", regression, "--responses", "1", "--ranks", "2", "--chunk-rows", "77", data);
        Assert.Equal(memory, streamed);
        Compare.Bitwise(Local("memory", "prediction", 2), Local("streamed", "prediction", 2), what: "prediction");

        Assert.Equal(
            Run("memory", "pca-transform", "--model", pca, "--ranks", "2", features),
            Run("streamed", "pca-transform", "--model", pca, "--ranks", "2", "--chunk-rows", "64", features));
        Compare.Bitwise(Local("memory", "transformedData", 2), Local("streamed", "transformedData", 2), what: "scores");
    }

    [Fact]
    public void Naive_bayes_prediction_streams_with_the_in_memory_classes_and_probabilities()
    {
        var random = new Random(9);
        var counts = Table<double>.Create(700, 5);
        for (int i = 0; i < counts.Span.Length; i++)
        {
            counts.Span[i] = (i % 5 == 4) ? random.Next(0, 3) : random.Next(0, 9);
        }

        string path = _directory.File("nb.csv");
        DataFile.FormatOf(path).Write(path, counts);
        string model = _directory.File("nb.json");
        DistalProcess.RunJson("multinomial-naive-bayes-training", "--classes", "3", "--model-output", model, path);
        var memory = DistalProcess.Run("multinomial-naive-bayes-prediction", "--model", model, "--probabilities", "--ranks", "3", path);
        var streamed = DistalProcess.Run("multinomial-naive-bayes-prediction", "--model", model, "--probabilities", "--ranks", "3", "--chunk-rows", "50", path);
        Assert.Equal(0, streamed.ExitCode);
        Assert.Equal(memory.Stdout, streamed.Stdout);
    }
}
