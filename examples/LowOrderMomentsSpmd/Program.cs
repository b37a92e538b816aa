// C# version of daal4py's low_order_moms_spmd.py: distributed low-order moments over one file split by rows.
//   dotnet run --project examples/LowOrderMomentsSpmd -- --ranks 4       (embedded ranks)
//   mpiexec -n 4 dotnet examples/LowOrderMomentsSpmd/bin/Release/net10.0/LowOrderMomentsSpmd.dll
// Each rank takes its share of covcormoments_dense.csv as the library reads it (DataFile.ReadShare) and as upstream's
// example splits it (contiguous rows, the first 200 % P ranks one row more). All ten moments (the same on every
// rank) are checked against batch moments of the whole file and against upstream's reference output; the exit code
// is non-zero when they differ.
using Distal;
using Distal.Algorithms;

return SpmdExampleHost.Run(args, (spmd, data) =>
{
    string file = Path.Combine(data, "covcormoments_dense.csv");
    var all = SpmdExampleHost.ReadCsv(file);
    var algorithm = new LowOrderMoments { Distributed = true };
    var fromShare = algorithm.Compute(DataFile.ReadShare<double>(file, spmd.Rank, spmd.Size));
    var fromRows = algorithm.Compute(SpmdExampleHost.Share(all, spmd.Rank, spmd.Size));
    var batch = new LowOrderMoments().Compute(all);
    var expected = SpmdExampleHost.Expected(data, "low_order_moms_dense.csv");

    // Upstream's reference rows, in its order.
    var names = new[] { "minimum", "maximum", "sum", "sumSquares", "sumSquaresCentered", "mean", "secondOrderRawMoment", "variance", "standardDeviation", "variation" };
    static double[][] Moments(LowOrderMomentsResult r) =>
        [r.Minimum!, r.Maximum!, r.Sum!, r.SumSquares!, r.SumSquaresCentered!, r.Mean!, r.SecondOrderRawMoment!, r.Variance!, r.StandardDeviation!, r.Variation!];
    var share = Moments(fromShare);
    var rows = Moments(fromRows);
    var whole = Moments(batch);
    bool same = true, upstream = true;
    for (int m = 0; m < names.Length; m++)
    {
        // Sums cancel to near zero in some columns: compare them on the scale of the sum of absolute values.
        double floor = m == 2 ? whole[3].Select(Math.Sqrt).Max() : 1e-300;
        same &= SpmdExampleHost.Close(share[m], whole[m], floor: floor) && SpmdExampleHost.Close(rows[m], whole[m], floor: floor);

        // Upstream computed its reference in float32 arithmetic: it agrees with float64 to about 1e-8 relative.
        upstream &= SpmdExampleHost.Close(share[m], expected.Row(m), tolerance: 1e-6, floor: floor);
    }

    if (spmd.Rank == 0)
    {
        Console.WriteLine($"low-order moments on {spmd.Size} ranks: distributed result {(same ? "equals" : "DIFFERS FROM")} batch, "
            + $"{(upstream ? "matches" : "DOES NOT MATCH")} upstream's expected/low_order_moms_dense.csv");
        for (int m = 0; m < names.Length; m++)
        {
            Console.WriteLine($"{names[m]}: {SpmdExampleHost.Format(share[m])}");
        }
    }

    return same && upstream;
});
