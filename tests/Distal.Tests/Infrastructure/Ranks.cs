namespace Distal.Tests.Infrastructure;

/// <summary>Runs embedded ranks under a hang guard, and splits tables into per-rank shares.</summary>
public static class Ranks
{
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    /// <summary>Spmd.RunLocal, failing the test instead of hanging when the ranks do not finish.</summary>
    public static TResult[] Run<TResult>(int ranks, Func<Spmd, TResult> body)
    {
        var task = Task.Factory.StartNew(() => Spmd.RunLocal(ranks, body), TaskCreationOptions.LongRunning);
        if (!task.ContinueWith(static _ => { }, TaskScheduler.Default).Wait(HangGuard))
        {
            Assert.Fail($"{ranks} ranks did not finish within {HangGuard.TotalSeconds} s: a collective hangs.");
        }

        return task.GetAwaiter().GetResult();
    }

    /// <summary>Upstream's split: the first n % parts shares get one extra row.</summary>
    public static int[] UpstreamCounts(int rows, int parts)
        => Enumerable.Range(0, parts).Select(r => (rows / parts) + (r < rows % parts ? 1 : 0)).ToArray();

    /// <summary>Random counts summing to <paramref name="rows"/>, with some empty shares.</summary>
    public static int[] RandomCounts(Random random, int rows, int parts)
    {
        var cuts = Enumerable.Range(0, parts - 1).Select(_ => random.Next(rows + 1)).Order().ToArray();
        var counts = new int[parts];
        int previous = 0;
        for (int i = 0; i < parts - 1; i++)
        {
            counts[i] = cuts[i] - previous;
            previous = cuts[i];
        }

        counts[parts - 1] = rows - previous;
        if (parts > 2)
        {
            // Force at least one empty share that is not the last.
            int empty = random.Next(parts - 1);
            counts[empty + 1] += counts[empty];
            counts[empty] = 0;
        }

        return counts;
    }

    /// <summary>The rows of share <paramref name="part"/> under <paramref name="counts"/>, as a view.</summary>
    public static Table<T> Share<T>(Table<T> table, int[] counts, int part)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        int start = counts.Take(part).Sum();
        return table.SliceRows(start, counts[part]);
    }
}
