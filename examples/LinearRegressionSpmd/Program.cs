// C# version of daal4py's linear_regression_spmd.py: distributed linear regression training over four files, one
// per rank, then prediction on the test file.
//   dotnet run --project examples/LinearRegressionSpmd -- --ranks 4       (embedded ranks)
//   mpiexec -n 4 dotnet examples/LinearRegressionSpmd/bin/Release/net10.0/LinearRegressionSpmd.dll
// Each rank reads linear_regression_train_<rank+1>.csv: columns 0–9 are the features, 10–11 the two responses (the
// lines end with a trailing comma). The model (the same on every rank) is checked against batch training on the four
// files concatenated, for both methods, and its predictions on linear_regression_test.csv against upstream's output;
// the exit code is non-zero when they differ.
using Distal;
using Distal.Algorithms;

return SpmdExampleHost.Run(args, (spmd, data) =>
{
    if (spmd.Size != 4)
    {
        throw new DistalException(FailureKind.Usage, $"this example's data has 4 parts: run it on 4 ranks, not {spmd.Size}");
    }

    var (x, y, allX, allY, test) = SpmdExampleHost.RegressionData(data, spmd.Rank);
    var expected = SpmdExampleHost.Expected(data, "linear_regression.csv");

    bool passed = true;
    LinearRegressionModel? shown = null;
    foreach (var method in new[] { LinearRegressionMethod.NormEqDense, LinearRegressionMethod.QrDense })
    {
        var model = new LinearRegressionTraining { Method = method, Distributed = true }.Compute(x, y);
        var batch = new LinearRegressionTraining { Method = method }.Compute(allX, allY);
        bool same = SpmdExampleHost.Close(model.Beta.Span, batch.Beta.Span);

        // Prediction is local: here every rank predicts the whole test file (daal4py's example does it on rank 0).
        var prediction = new LinearRegressionPrediction(model).Compute(test).Prediction;
        bool upstream = prediction.Rows == test.Rows && SpmdExampleHost.Close(prediction.Span, expected.Span, tolerance: 1e-6);
        if (spmd.Rank == 0)
        {
            Console.WriteLine($"{method}: distributed model {(same ? "equals" : "DIFFERS FROM")} batch; predictions "
                + $"{(upstream ? "match" : "DO NOT MATCH")} upstream's expected/linear_regression.csv");
        }

        passed &= same && upstream;
        shown ??= model;
    }

    if (spmd.Rank == 0)
    {
        SpmdExampleHost.Print("beta (normEqDense, 4 ranks; intercept first)", shown!.Beta);
    }

    return passed;
});
