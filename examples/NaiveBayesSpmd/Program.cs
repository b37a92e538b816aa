// C# version of daal4py's naive_bayes_spmd.py: distributed multinomial naive Bayes training, then prediction.
//   dotnet run --project examples/NaiveBayesSpmd -- --ranks 4       (embedded ranks)
//   mpiexec -n 4 dotnet examples/NaiveBayesSpmd/bin/Release/net10.0/NaiveBayesSpmd.dll
// Unlike upstream, which reads the whole training file on every rank (so every row counts P times), each rank reads
// only its share of naivebayes_train_dense.csv. The model (the same on every rank) must equal batch training on the
// whole file, and its predictions on the test file must equal upstream's expected labels; the exit code says.
using Distal;
using Distal.Algorithms;

return SpmdExampleHost.Run(args, (spmd, data) =>
{
    const int Classes = 20;

    // This rank's rows of the one training file; the label is the last column.
    var rows = DataFile.ReadShare<double>(Path.Combine(data, "naivebayes_train_dense.csv"), spmd.Rank, spmd.Size);
    var (features, labels) = SplitLabels(rows);
    var model = new MultinomialNaiveBayesTraining(Classes) { Distributed = true }.Compute(features, labels);

    // Prediction is local: every rank could classify its own rows; here each classifies the whole test file.
    var (test, _) = SplitLabels(SpmdExampleHost.ReadCsv(Path.Combine(data, "naivebayes_test_dense.csv")));
    var prediction = model.Predict(test, NaiveBayesResults.ClassLabels | NaiveBayesResults.ClassProbabilities);

    var (allFeatures, allLabels) = SplitLabels(SpmdExampleHost.ReadCsv(Path.Combine(data, "naivebayes_train_dense.csv")));
    var batch = new MultinomialNaiveBayesTraining(Classes).Compute(allFeatures, allLabels);
    var expected = SpmdExampleHost.ReadCsv(Path.Combine(data, "expected", "naive_bayes.csv"));
    int matching = Enumerable.Range(0, test.Rows).Count(i => prediction.Prediction[i] == (int)expected[i, 0]);
    bool same = SpmdExampleHost.Close(model.LogTheta.Span, batch.LogTheta.Span, tolerance: 0) && SpmdExampleHost.Close(model.LogP, batch.LogP, tolerance: 0);
    if (spmd.Rank == 0)
    {
        Console.WriteLine($"distributed model on {spmd.Size} ranks {(same ? "equals" : "DIFFERS FROM")} batch training");
        Console.WriteLine($"predictions matching upstream's expected labels: {matching} of {test.Rows}");
        Console.WriteLine("first predictions: " + string.Join(", ", prediction.Prediction[..10].ToArray()));
        SpmdExampleHost.Print("first class probabilities", prediction.Probabilities!, maxRows: 2);
        SpmdExampleHost.Print("logTheta", model.LogTheta, maxRows: 3);
    }

    return same && matching == test.Rows;
});

// Features and the label column (the last) of daal4py's naive Bayes files, as the upstream example slices them.
static (Table<double> Features, Table<double> Labels) SplitLabels(Table<double> rows)
{
    int p = rows.Columns - 1;
    var features = Table<double>.Create(rows.Rows, p);
    var labels = Table<double>.Create(rows.Rows, 1);
    for (int i = 0; i < rows.Rows; i++)
    {
        rows.Row(i)[..p].CopyTo(features.Row(i));
        labels[i, 0] = rows[i, p];
    }

    return (features, labels);
}
