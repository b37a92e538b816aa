// C# version of daal4py's qr_spmd.py: distributed QR (TSQR) over four files, one per rank.
//   dotnet run --project examples/QrSpmd -- --ranks 4       (embedded ranks)
//   mpiexec -n 4 dotnet examples/QrSpmd/bin/Release/net10.0/QrSpmd.dll
// Each rank reads qr_<rank+1>.csv and gets R (the same on every rank) and its own rows of Q.
// Checks: Q·R rebuilds every rank's rows, and R equals batch QR of the four files concatenated.
using Distal;
using Distal.Algorithms;

return SpmdExampleHost.Run(args, (spmd, data) =>
{
    if (spmd.Size != 4)
    {
        throw new DistalException(FailureKind.Usage, $"this example's data has 4 parts: run it on 4 ranks, not {spmd.Size}");
    }

    string file = Path.Combine(data, $"qr_{spmd.Rank + 1}.csv");
    var rows = SpmdExampleHost.ReadCsv(file);
    var algorithm = new Qr { Distributed = true };
    var fromFile = algorithm.Compute(file);
    var fromTable = algorithm.Compute(rows);

    var q = fromFile.MatrixQ!;
    var r = fromFile.MatrixR;
    int k = r.Rows;
    int p = r.Columns;
    var rebuilt = new double[rows.Rows * p];
    for (int i = 0; i < rows.Rows; i++)
    {
        for (int j = 0; j < k; j++)
        {
            for (int c = j; c < p; c++)
            {
                rebuilt[(i * p) + c] += q[i, j] * r[j, c];
            }
        }
    }

    // R has a non-negative diagonal, so it is unique: the distributed R equals the batch R.
    var batch = new Qr().Compute(SpmdExampleHost.ReadAll(data, "qr_{0}.csv"));
    bool rebuilds = SpmdExampleHost.Close(rebuilt, rows.Span, 1e-12);
    bool passed = rebuilds
        && SpmdExampleHost.Close(r.Span, fromTable.MatrixR.Span)
        && SpmdExampleHost.Close(r.Span, batch.MatrixR.Span);
    if (spmd.Rank == 0)
    {
        Console.WriteLine("QR result (4 ranks):");
        SpmdExampleHost.Print("matrixR", r);
        SpmdExampleHost.Print("matrixQ on rank 0", q);
    }

    Console.WriteLine($"rank {spmd.Rank}: Q·R {(rebuilds ? "rebuilds" : "DOES NOT REBUILD")} its {rows.Rows} rows; R {(passed ? "equals" : "DIFFERS FROM")} batch");
    return passed;
});
