using Distal.Algorithms;
using Distal.Tests.Data;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.NaiveBayes;

[Trait("Category", "Algorithm")]
public class NaiveBayesTests
{
    private static readonly Lazy<(Table<double> X, Table<double> Y)> Train = new(() => NaiveBayesData.Split(SharedData.ReadTable("naivebayes_train_dense.csv")));
    private static readonly Lazy<(Table<double> X, Table<double> Y)> Test = new(() => NaiveBayesData.Split(SharedData.ReadTable("naivebayes_test_dense.csv")));

    private static int[] Expected => SharedData.ReadReference("expected/naive_bayes.csv").Select(r => (int)r[0]).ToArray();

    [Fact]
    public void Upstream_labels_exactly_from_dense_and_from_csr_input_with_identical_models()
    {
        var (x, y) = Train.Value;
        var dense = new MultinomialNaiveBayesTraining(20).Compute(x, y);
        var sparse = new MultinomialNaiveBayesTraining(20).Compute(CsrTable.FromDense(x), y);
        Compare.Bitwise(dense.LogP, sparse.LogP, "logP");
        Compare.Bitwise(dense.LogTheta.Span, sparse.LogTheta.Span, "logTheta");
        Assert.Equal(Expected, dense.Predict(Test.Value.X).Prediction.ToArray());
        Assert.Equal(Expected, dense.Predict(CsrTable.FromDense(Test.Value.X)).Prediction.ToArray());
    }

    [Fact]
    public void Upstream_csr_files_train_the_same_model_as_their_dense_equivalent()
    {
        // The upstream CSR files hold other values than the dense files (entries ≤ 200 dropped), so they are checked
        // against their own densified rows, read by an independent parser.
        string trainPath = SharedData.PathOf("batch/naivebayes_train_csr.csv");
        var labels = SharedData.ReadTable("batch/naivebayes_train_labels.csv");
        var csr = CsrFile.Read<double>(trainPath, columns: 20);
        var fromCsr = new MultinomialNaiveBayesTraining(20).Compute(csr, labels);
        var dense = Table.FromRows(CsrFileTests.IndependentDense(File.ReadAllText(trainPath), 20));
        var fromDense = new MultinomialNaiveBayesTraining(20).Compute(dense, labels);
        Compare.Bitwise(fromDense.LogTheta.Span, fromCsr.LogTheta.Span, "logTheta");
        var test = CsrFile.Read<double>(SharedData.PathOf("batch/naivebayes_test_csr.csv"), columns: 20);
        Assert.Equal(fromDense.Predict(test.ToDense()).Prediction.ToArray(), fromCsr.Predict(test).Prediction.ToArray());
    }

    [Fact]
    public void Each_rank_reading_its_share_of_the_training_file_gives_the_batch_model_bit_for_bit()
    {
        string path = SharedData.PathOf("naivebayes_train_dense.csv");
        var batch = new MultinomialNaiveBayesTraining(20).Compute(Train.Value.X, Train.Value.Y);
        var models = Ranks.Run(4, s =>
        {
            var (x, y) = NaiveBayesData.Split(DataFile.ReadShare<double>(path, s.Rank, s.Size));
            return new MultinomialNaiveBayesTraining(20) { Distributed = true }.Compute(x, y);
        });
        foreach (var model in models)
        {
            // Integer counts sum exactly in any order.
            Compare.Bitwise(batch.LogTheta.Span, model.LogTheta.Span, "logTheta");
            Compare.Bitwise(batch.LogP, model.LogP, "logP");
        }
    }

    [Fact]
    public void Estimates_follow_their_closed_forms_for_both_priors_and_per_feature_alpha()
    {
        var (x, y) = NaiveBayesData.Counts(new Random(3), 300, 5, 3);
        double[] alpha = [0.5, 1, 2, 0.1, 4];
        var uniform = new MultinomialNaiveBayesTraining(3) { Alpha = alpha }.Compute(x, y);
        var empirical = new MultinomialNaiveBayesTraining(3) { Alpha = alpha, PriorClassEstimates = ClassPrior.Empirical }.Compute(x, y);
        for (int c = 0; c < 3; c++)
        {
            var rows = Enumerable.Range(0, x.Rows).Where(i => y[i, 0] == c).ToArray();
            var sums = Enumerable.Range(0, 5).Select(j => rows.Sum(i => x[i, j]) + alpha[j]).ToArray();
            for (int j = 0; j < 5; j++)
            {
                Assert.Equal(Math.Log(sums[j] / sums.Sum()), uniform.LogTheta[c, j], 1e-13);
            }

            Assert.Equal(-Math.Log(3), uniform.LogP[c], 1e-15);
            Assert.Equal(Math.Log(rows.Length / 300.0), empirical.LogP[c], 1e-14);
        }
    }

    [Fact]
    public void Log_probabilities_match_the_direct_formula_and_stay_finite_where_exp_underflows()
    {
        var (x, y) = NaiveBayesData.Counts(new Random(4), 200, 6, 4);
        var model = new MultinomialNaiveBayesTraining(4).Compute(x, y);
        const NaiveBayesResults All = NaiveBayesResults.ClassLabels | NaiveBayesResults.ClassProbabilities | NaiveBayesResults.ClassLogProbabilities;

        // Scaling the counts by 1e4 puts the joint log-likelihoods near −1e5: exp of them is 0 in double, so only a
        // log-sum-exp about the largest gets the answer.
        foreach (double scale in new[] { 1.0, 1e4 })
        {
            var rows = Table<double>.Create(x.Rows, x.Columns);
            for (int i = 0; i < rows.Span.Length; i++)
            {
                rows.Span[i] = x.Span[i] * scale;
            }

            var result = model.Predict(rows, All);
            var sparse = model.Predict(CsrTable.FromDense(rows), All);
            for (int i = 0; i < rows.Rows; i++)
            {
                var jll = Enumerable.Range(0, 4).Select(c => model.LogP[c] + Enumerable.Range(0, 6).Sum(j => rows[i, j] * model.LogTheta[c, j])).ToArray();
                for (int c = 0; c < 4; c++)
                {
                    // log P(c | x) = −log Σ_k exp(jll_k − jll_c); it may be hugely negative, never NaN.
                    double direct = -Math.Log(jll.Sum(k => Math.Exp(k - jll[c])));
                    if (double.IsFinite(direct))
                    {
                        double tolerance = 1e-12 * Math.Max(1, Math.Abs(jll.Max()));
                        Assert.Equal(direct, result.LogProbabilities![i, c], tolerance);
                        Assert.Equal(direct, sparse.LogProbabilities![i, c], tolerance);
                    }
                    else
                    {
                        Assert.True(result.LogProbabilities![i, c] < -700, $"row {i} class {c}: {result.LogProbabilities[i, c]}");
                    }

                    Assert.Equal(Math.Exp(result.LogProbabilities[i, c]), result.Probabilities![i, c], 1e-15);
                }

                Assert.Equal(1.0, Enumerable.Range(0, 4).Sum(c => result.Probabilities![i, c]), 1e-12);
                Assert.Equal(Array.IndexOf(jll, jll.Max()), result.Prediction[i]);
                Assert.Equal(result.Prediction[i], sparse.Prediction[i]);
            }
        }
    }

    [Theory]
    [InlineData(-1.0, 0.0, "data: count -1 in column 2 is negative")]
    [InlineData(double.NaN, 0.0, "data: count NaN in column 2 is not finite")]
    [InlineData(double.PositiveInfinity, 0.0, "data: count Infinity in column 2 is not finite")]
    [InlineData(1.0, 3.0, "labels: label 3 is outside [0, 2] (nClasses is 3)")]
    [InlineData(1.0, -1.0, "labels: label -1 is outside [0, 2] (nClasses is 3)")]
    [InlineData(1.0, 1.5, "labels: label 1.5 is not an integer class")]
    [InlineData(1.0, double.NaN, "labels: label NaN is not an integer class")]
    public void Bad_counts_and_labels_fail_on_every_rank_alike_dense_and_csr(double value, double label, string message)
    {
        var (x, y) = NaiveBayesData.Counts(new Random(5), 40, 4, 3);
        x[37, 2] = value;
        y[37, 0] = label == 0 ? y[37, 0] : label;
        foreach (bool sparse in new[] { false, true })
        {
            var errors = Ranks.Run(3, s =>
            {
                int start = Math.Min(40, s.Rank * 20);
                int count = Math.Min(20, 40 - start);
                var training = new MultinomialNaiveBayesTraining(3) { Distributed = true };
                var rows = x.SliceRows(start, count);
                var labels = y.SliceRows(start, count);
                return Assert.ThrowsAny<DistalException>(() => sparse ? training.Compute(CsrTable.FromDense(rows), labels) : training.Compute(rows, labels));
            });
            foreach (var error in errors)
            {
                Assert.Equal($"rank 1: {message}", error.Message);
            }
        }
    }

    [Fact]
    public void Options_and_shapes_are_checked()
    {
        var (x, y) = NaiveBayesData.Counts(new Random(6), 30, 4, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultinomialNaiveBayesTraining(0));
        Assert.Contains("alpha must be positive", Assert.Throws<DistalException>(() => new MultinomialNaiveBayesTraining(3) { Alpha = [0] }).Message, StringComparison.Ordinal);
        Assert.Contains("alpha has 2 values; give one, or one per feature (4)", Assert.Throws<DistalException>(() => new MultinomialNaiveBayesTraining(3) { Alpha = [1, 2] }.Compute(x, y)).Message, StringComparison.Ordinal);
        Assert.Contains("data has 30 rows but labels has 29", Assert.Throws<DistalException>(() => new MultinomialNaiveBayesTraining(3).Compute(x, y.SliceRows(0, 29))).Message, StringComparison.Ordinal);
        Assert.Contains("class 3 has no training rows", Assert.Throws<DistalException>(() => new MultinomialNaiveBayesTraining(4) { PriorClassEstimates = ClassPrior.Empirical }.Compute(x, y)).Message, StringComparison.Ordinal);
        var model = new MultinomialNaiveBayesTraining(3).Compute(x, y);
        Assert.Contains("rows have 5 columns; the model has 4 features", Assert.Throws<DistalException>(() => model.Predict(Table<double>.Create(2, 5))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Models_save_and_load_exactly_and_other_files_are_refused()
    {
        using var directory = new TempDirectory();
        var model = new MultinomialNaiveBayesTraining(20).Compute(Train.Value.X, Train.Value.Y);
        string path = directory.File("nb.json");
        model.Save(path);
        var loaded = MultinomialNaiveBayesModel.Load(path);
        Compare.Bitwise(model.LogP, loaded.LogP, "logP");
        Compare.Bitwise(model.LogTheta.Span, loaded.LogTheta.Span, "logTheta");
        Assert.Contains("\"algorithm\": \"multinomial-naive-bayes\"", File.ReadAllText(path), StringComparison.Ordinal);
        string other = directory.Write("km.json", "{\"format\":\"distal-model\",\"algorithm\":\"kmeans\",\"version\":1,\"centroids\":[[1]]}");
        Assert.Contains("a kmeans model, but a multinomial-naive-bayes model is needed", Assert.Throws<DistalException>(() => MultinomialNaiveBayesModel.Load(other)).Message, StringComparison.Ordinal);
        string ragged = directory.Write("bad.json", "{\"format\":\"distal-model\",\"algorithm\":\"multinomial-naive-bayes\",\"version\":1,\"logP\":[0,0],\"logTheta\":[[1]]}");
        Assert.Contains("\"logTheta\" has 1 rows; logP has 2 classes", Assert.Throws<DistalException>(() => MultinomialNaiveBayesModel.Load(ragged)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Float_input_gives_the_double_model()
    {
        var (x, y) = Train.Value;
        var single = Table<float>.Create(x.Rows, x.Columns);
        var singleLabels = Table<float>.Create(y.Rows, 1);
        for (int i = 0; i < x.Span.Length; i++)
        {
            single.Span[i] = (float)x.Span[i];
        }

        for (int i = 0; i < y.Rows; i++)
        {
            singleLabels.Span[i] = (float)y.Span[i];
        }

        var model = new MultinomialNaiveBayesTraining(20).Compute(single, singleLabels);
        Compare.Bitwise(new MultinomialNaiveBayesTraining(20).Compute(x, y).LogTheta.Span, model.LogTheta.Span, "logTheta");
    }
}
