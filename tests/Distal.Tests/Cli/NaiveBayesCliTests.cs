using Distal.Tests.Data;
using Distal.Tests.Infrastructure;
using Distal.Tests.NaiveBayes;

namespace Distal.Tests.Cli;

public class NaiveBayesCliTests
{
    [Fact]
    public void Training_and_prediction_on_4_ranks_give_upstreams_labels_dense_and_csr()
    {
        using var directory = new TempDirectory();
        string model = directory.File("nb.json");
        var trained = DistalProcess.RunJson("multinomial-naive-bayes-training", "--classes", "20", "--ranks", "4", "--model-output", model, SharedData.PathOf("naivebayes_train_dense.csv"));
        Assert.Equal(20, trained["logTheta"]!.AsArray().Count);
        var expected = SharedData.ReadReference("expected/naive_bayes.csv").Select(r => r[0]).ToArray();
        var predicted = DistalProcess.RunJson("multinomial-naive-bayes-prediction", "--model", model, "--ranks", "3", "--probabilities", SharedData.PathOf("naivebayes_test_dense.csv"));
        Assert.Equal(expected, DistalProcess.Flatten(predicted["prediction"]));
        Assert.Equal(2000, predicted["logProbabilities"]!.AsArray().Count);

        // The same rows as a CSR file (one-based, daal4py's format), labels from their own file.
        var (x, y) = NaiveBayesData.Split(SharedData.ReadTable("naivebayes_train_dense.csv"));
        string csr = directory.File("train.csr");
        CsrFile.Write(csr, CsrTable.FromDense(x));
        string labels = directory.File("labels.csv");
        DataFile.WriteCsv(labels, y);
        string sparseModel = directory.File("nb-csr.json");
        var fromCsr = DistalProcess.RunJson("multinomial-naive-bayes-training", "--classes", "20", "--ranks", "3", "--labels", labels, "--model-output", sparseModel, csr);
        Assert.Equal(DistalProcess.Flatten(trained["logTheta"]), DistalProcess.Flatten(fromCsr["logTheta"]));
        var (testX, _) = NaiveBayesData.Split(SharedData.ReadTable("naivebayes_test_dense.csv"));
        string testCsr = directory.File("test.csr");
        CsrFile.Write(testCsr, CsrTable.FromDense(testX));
        Assert.Equal(expected, DistalProcess.Flatten(DistalProcess.RunJson("multinomial-naive-bayes-prediction", "--model", sparseModel, "--ranks", "2", testCsr)["prediction"]));
    }

    [Theory]
    [InlineData("1,2,0\n3,4,1\n\n5,-6,1\n7,8,0\n", null, "bad.csv:4: count -6 in column 1 is negative")]
    [InlineData("1,2,0\n3,4,1\n5,6,7\n7,8,0\n", null, "bad.csv:3: label 7 is outside [0, 1] (nClasses is 2)")]
    [InlineData("1,2\n3,4\n5,6\n7,8\n", "0\n1\n1.5\n0\n", "labels.csv:3: label 1.5 is not an integer class")]
    [InlineData("1,2\n3,4\n5,6\n7,8\n", "0\n1\n1\n", "labels.csv: 3 rows for the 4 rows of ")]
    [InlineData("1,2\n3,4\n5,6\n7,8\n", "0\n1\n1\n0\n1\n", "labels.csv: 5 rows for the 4 rows of ")]
    [InlineData("1,2\n3,4\n5,nan\n7,8\n", "0\n1\n1\n0\n", "bad.csv:3:3: 'nan' is not a finite number")]
    public void Bad_training_input_is_one_line_naming_file_and_line_and_exit_1(string data, string? labels, string expected)
    {
        using var directory = new TempDirectory();
        string dataPath = directory.Write("bad.csv", data);
        string[] labelArguments = labels is null ? [] : ["--labels", directory.Write("labels.csv", labels)];
        var (code, stdout, stderr) = DistalProcess.Run(["multinomial-naive-bayes-training", "--classes", "2", "--ranks", "2", .. labelArguments, dataPath]);
        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Csr_moments_and_covariance_through_the_cli_equal_the_dense_ones()
    {
        using var directory = new TempDirectory();
        var dense = SharedData.ReadTable("covcormoments_dense.csv");
        string csr = directory.File("data.csr");
        CsrFile.Write(csr, CsrTable.FromDense(dense));
        string csv = SharedData.PathOf("covcormoments_dense.csv");
        foreach (string algorithm in new[] { "low-order-moments", "covariance" })
        {
            var fromDense = DistalProcess.RunJson(algorithm, "--ranks", "3", csv);
            var fromCsr = DistalProcess.RunJson(algorithm, "--ranks", "3", csr);
            foreach (var (key, value) in fromDense)
            {
                Compare.Relative(DistalProcess.Flatten(value), DistalProcess.Flatten(fromCsr[key]), 1e-12, floor: 1e-6, what: $"{algorithm} {key}");
            }
        }
    }

    [Fact]
    public void Input_format_csr_reads_any_file_name_and_columns_fixes_the_width()
    {
        using var directory = new TempDirectory();
        string upstream = SharedData.PathOf("batch/naivebayes_train_csr.csv");
        string renamed = directory.File("train.csr");
        File.Copy(upstream, renamed);
        var byFormat = DistalProcess.RunJson("covariance", "--input-format", "csr", "--ranks", "3", upstream);
        var byExtension = DistalProcess.RunJson("covariance", "--ranks", "3", renamed);
        Assert.Equal(byExtension.ToJsonString(), byFormat.ToJsonString());

        int width = DistalProcess.Flatten(byFormat["mean"]).Length;
        var wider = DistalProcess.RunJson("low-order-moments", "--input-format", "csr", "--columns", (width + 3).ToString(System.Globalization.CultureInfo.InvariantCulture), "--ranks", "2", upstream);
        var mean = DistalProcess.Flatten(wider["mean"]);
        Assert.Equal(width + 3, mean.Length);
        Assert.Equal([0.0, 0.0, 0.0], mean[^3..]);

        var narrow = DistalProcess.Run("low-order-moments", "--input-format", "csr", "--columns", "3", upstream);
        Assert.Equal(1, narrow.ExitCode);
        Assert.Contains("out of range", narrow.Stderr, StringComparison.Ordinal);
        var notANumber = DistalProcess.Run("low-order-moments", "--input-format", "csr", "--columns", "abc", upstream);
        Assert.Equal(2, notANumber.ExitCode);
    }
}
