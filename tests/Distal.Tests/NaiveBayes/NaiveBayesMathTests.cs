using Distal.Algorithms;
using Distal.Kernels;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.NaiveBayes;

[Trait("Category", "Algorithm")]
public class NaiveBayesMathTests
{
    [Fact]
    public void Upstream_test_rows_get_upstreams_labels_from_dense_and_csr_rows()
    {
        var train = SharedData.ReadTable("naivebayes_train_dense.csv");
        var test = SharedData.ReadTable("naivebayes_test_dense.csv");
        var (features, labels) = Split(train);
        var (testFeatures, _) = Split(test);
        var sums = new ClassFeatureSums(20, 20);
        sums.AddDense<double>(features.Span, labels.Span);
        var (logP, logTheta) = NaiveBayesEstimates.Compute(sums, [1.0], ClassPrior.Uniform);
        var expected = SharedData.ReadReference("expected/naive_bayes.csv").Select(r => (int)r[0]).ToArray();

        var scores = new double[testFeatures.Rows * 20];
        NaiveBayesScores.Dense<double>(testFeatures.Span, testFeatures.Rows, 20, logTheta, logP, scores, new double[testFeatures.Span.Length], DenseKernels.Current);
        var predicted = new int[testFeatures.Rows];
        NaiveBayesScores.Finish(scores, 20, predicted, [], []);
        Assert.Equal(expected, predicted);

        var sparseSums = new ClassFeatureSums(20, 20);
        sparseSums.AddSparse(CsrTable.FromDense(features), labels.Span);
        Compare.Bitwise(sums.Sums, sparseSums.Sums, "class sums");
        NaiveBayesScores.Sparse(CsrTable.FromDense(testFeatures), logTheta, logP, scores);
        NaiveBayesScores.Finish(scores, 20, predicted, [], []);
        Assert.Equal(expected, predicted);
    }

    private static (Table<double> Features, Table<double> Labels) Split(Table<double> table)
    {
        int p = table.Columns - 1;
        var features = Table<double>.Create(table.Rows, p);
        var labels = Table<double>.Create(table.Rows, 1);
        for (int i = 0; i < table.Rows; i++)
        {
            table.Row(i)[..p].CopyTo(features.Row(i));
            labels[i, 0] = table[i, p];
        }

        return (features, labels);
    }
}
