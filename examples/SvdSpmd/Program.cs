// C# version of daal4py's svd_spmd.py: distributed SVD over four files, one per rank.
//   dotnet run --project examples/SvdSpmd -- --ranks 4       (embedded ranks)
//   mpiexec -n 4 dotnet examples/SvdSpmd/bin/Release/net10.0/SvdSpmd.dll
// Each rank reads svd_<rank+1>.csv and gets the singular values and Vᵀ (the same on every rank) and its own rows of U.
// Checks: U·diag(s)·Vᵀ rebuilds every rank's rows, and s and Vᵀ equal batch SVD of the four files concatenated.
using Distal;
using Distal.Algorithms;

return SpmdExampleHost.Run(args, (spmd, data) =>
{
    if (spmd.Size != 4)
    {
        throw new DistalException(FailureKind.Usage, $"this example's data has 4 parts: run it on 4 ranks, not {spmd.Size}");
    }

    string file = Path.Combine(data, $"svd_{spmd.Rank + 1}.csv");
    var rows = SpmdExampleHost.ReadCsv(file);
    var algorithm = new Svd { Distributed = true };
    var fromFile = algorithm.Compute(file);
    var fromTable = algorithm.Compute(rows);

    var s = fromFile.SingularValues;
    var vt = fromFile.RightSingularMatrix!;
    var u = fromFile.LeftSingularMatrix!;
    int k = s.Length;
    int p = vt.Columns;
    var rebuilt = new double[rows.Rows * p];
    for (int i = 0; i < rows.Rows; i++)
    {
        for (int j = 0; j < k; j++)
        {
            double us = u[i, j] * s[j];
            for (int c = 0; c < p; c++)
            {
                rebuilt[(i * p) + c] += us * vt[j, c];
            }
        }
    }

    var batch = new Svd().Compute(SpmdExampleHost.ReadAll(data, "svd_{0}.csv"));

    // Singular vectors are unique up to sign: compare Vᵀ row by row up to a sign.
    bool sameV = true;
    for (int j = 0; j < k; j++)
    {
        var distributed = vt.Row(j).ToArray();
        var reference = batch.RightSingularMatrix!.Row(j).ToArray();
        double sign = distributed.Zip(reference, (a, b) => a * b).Sum() < 0 ? -1 : 1;
        sameV &= SpmdExampleHost.Close(distributed.Select(v => v * sign).ToArray(), reference);
    }

    bool passed = SpmdExampleHost.Close(rebuilt, rows.Span, 1e-12)
        && SpmdExampleHost.Close(s, fromTable.SingularValues)
        && SpmdExampleHost.Close(s, batch.SingularValues)
        && sameV;
    if (spmd.Rank == 0)
    {
        Console.WriteLine("SVD result (4 ranks):");
        Console.WriteLine("singularValues: " + SpmdExampleHost.Format(s));
        SpmdExampleHost.Print("rightSingularMatrix", vt);
        SpmdExampleHost.Print("leftSingularMatrix on rank 0", u);
    }

    Console.WriteLine($"rank {spmd.Rank}: U·diag(s)·Vᵀ {(SpmdExampleHost.Close(rebuilt, rows.Span, 1e-12) ? "rebuilds" : "DOES NOT REBUILD")} its {rows.Rows} rows; result {(passed ? "equals" : "DIFFERS FROM")} batch");
    return passed;
});
