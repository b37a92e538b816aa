// C# version of daal4py's ridge_regression_spmd.py: distributed ridge regression training over four files, one per
// rank, then prediction on the test file.
//   dotnet run --project examples/RidgeRegressionSpmd -- --ranks 4       (embedded ranks)
//   mpiexec -n 4 dotnet examples/RidgeRegressionSpmd/bin/Release/net10.0/RidgeRegressionSpmd.dll
// Each rank reads linear_regression_train_<rank+1>.csv (features in columns 0–9, two responses in 10–11, trailing
// commas). The model (ridge parameter 1.0, the same on every rank) is checked against batch training on the four
// files concatenated, and its predictions on linear_regression_test.csv against upstream's output; a second model
// with one ridge parameter per response is checked against batch too. The exit code is non-zero when they differ.
using Distal;
using Distal.Algorithms;

return SpmdExampleHost.Run(args, (spmd, data) =>
{
    if (spmd.Size != 4)
    {
        throw new DistalException(FailureKind.Usage, $"this example's data has 4 parts: run it on 4 ranks, not {spmd.Size}");
    }

    var (x, y, allX, allY, test) = SpmdExampleHost.RegressionData(data, spmd.Rank);

    var model = new RidgeRegressionTraining { Distributed = true }.Compute(x, y);
    bool same = SpmdExampleHost.Close(model.Beta.Span, new RidgeRegressionTraining().Compute(allX, allY).Beta.Span);
    var prediction = new RidgeRegressionPrediction(model).Compute(test).Prediction;
    bool upstream = prediction.Rows == test.Rows
        && SpmdExampleHost.Close(prediction.Span, SpmdExampleHost.Expected(data, "ridge_regression.csv").Span, tolerance: 1e-6);

    // One ridge parameter per response (daal4py would silently use only the first).
    double[] perResponse = [0.1, 1000];
    var separate = new RidgeRegressionTraining { RidgeParameters = perResponse, Distributed = true }.Compute(x, y);
    bool sameSeparate = SpmdExampleHost.Close(separate.Beta.Span, new RidgeRegressionTraining { RidgeParameters = perResponse }.Compute(allX, allY).Beta.Span);
    if (spmd.Rank == 0)
    {
        Console.WriteLine($"ridge 1.0: distributed model {(same ? "equals" : "DIFFERS FROM")} batch; predictions "
            + $"{(upstream ? "match" : "DO NOT MATCH")} upstream's expected/ridge_regression.csv");
        Console.WriteLine($"ridge [0.1, 1000]: distributed model {(sameSeparate ? "equals" : "DIFFERS FROM")} batch");
        SpmdExampleHost.Print("beta (ridge 1.0, 4 ranks; intercept first)", model.Beta);
        SpmdExampleHost.Print("beta (ridge 0.1 and 1000)", separate.Beta);
    }

    return same && upstream && sameSeparate;
});
