using Distal.Algorithms;
using Distal.Communication;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Harness;

/// <summary>
/// One mergeable algorithm under the shared harness (<see cref="MergeHarnessTests"/>): how to create it, how to make
/// data for it, and which numbers of its result to compare. Every check runs the public API where there is one.
/// </summary>
public abstract class MergeCase
{
    /// <summary>Rows that make the threaded accumulation split into several blocks (≥ 2 × 65 536 values).</summary>
    protected const int ThreadedRows = 40_000;

    /// <summary>The name the harness's theories show.</summary>
    public abstract string Name { get; }

    /// <summary>Splits the rows unevenly (with empty ranks) over <paramref name="ranks"/> embedded ranks: equals batch.</summary>
    public abstract void AnySplitEqualsBatch(int ranks, Random random);

    /// <summary>A partial encodes, decodes and encodes again to the same bytes and the same result, bit for bit.</summary>
    public abstract void EncodingRoundTrips(Random random);

    /// <summary>Streaming in random chunk sizes, finalizing midway too, equals batch.</summary>
    public abstract void StreamingEqualsBatch(Random random);

    /// <summary>The threaded accumulation (several row blocks) equals the single-threaded one.</summary>
    public abstract void ThreadedEqualsSingleThreaded(Random random);

    public override string ToString() => Name;
}

/// <summary>The harness case of an algorithm whose result is <typeparamref name="TResult"/>.</summary>
/// <param name="name">The case's name.</param>
/// <param name="create">A new algorithm with its options (not distributed; the harness sets that).</param>
/// <param name="fields">The result's numbers to compare, by name; each is compared per entry (a plain
/// <c>(name, values)</c> pair converts to a <see cref="Field"/>).</param>
/// <param name="generate">Data for the case: (random, rows) → data and target (null when unsupervised).</param>
public sealed class MergeCase<TResult>(
    string name,
    Func<Algorithm> create,
    Func<TResult, IEnumerable<Field>> fields,
    Func<Random, int, (Table<double> Data, Table<double>? Target)> generate) : MergeCase
{
    // Results of different merge orders agree to rounding: 1e-12 relative per entry, entries far below the field's
    // largest being judged against a thousandth of it (their rounding comes from the large ones).
    private const double Tolerance = 1e-12;
    private const double FloorFraction = 1e-3;

    public override string Name => name;

    public override void AnySplitEqualsBatch(int ranks, Random random)
    {
        var (data, target) = generate(random, 300);
        var batch = Batch(data, target);
        int[] counts = ranks == 1 ? [data.Rows] : Ranks.RandomCounts(random, data.Rows, ranks);
        var results = Ranks.Run(ranks, s =>
        {
            var algorithm = create();
            algorithm.Distributed = true;
            return Compute(algorithm, Ranks.Share(data, counts, s.Rank), target is null ? null : Ranks.Share(target, counts, s.Rank));
        });
        for (int r = 1; r < ranks; r++)
        {
            AssertBitwise(results[0], results[r], $"rank {r} vs rank 0 ({string.Join(',', counts)})");
        }

        AssertClose(batch, results[0], $"{ranks} ranks ({string.Join(',', counts)}) vs batch");
    }

    public override void EncodingRoundTrips(Random random)
    {
        var (data, target) = generate(random, 200);
        var context = ComputeContext.For(new SelfCommunicator()).WithThreads(1);
        var (sameBytes, original, decoded) = Engine(create()).RoundTrip(data, target, context);
        Assert.True(sameBytes, $"{Name}: encode → decode → encode changed the bytes");
        AssertBitwise(original, decoded, "finalized from the decoded partial");
    }

    public override void StreamingEqualsBatch(Random random)
    {
        var (data, target) = generate(random, 500);
        var batch = Batch(data, target);
        var online = Online(create());
        int start = 0;
        bool finalizedMidway = false;
        while (start < data.Rows)
        {
            int count = Math.Min(data.Rows - start, random.Next(0, 60));
            online.Add(data.SliceRows(start, count), target?.SliceRows(start, count));
            start += count;
            if (!finalizedMidway && start > data.Rows / 2)
            {
                // Finalizing is a snapshot: the stream goes on afterwards.
                _ = online.Finalize();
                finalizedMidway = true;
            }
        }

        AssertClose(batch, online.Finalize(), "streamed in random chunks vs batch");
    }

    public override void ThreadedEqualsSingleThreaded(Random random)
    {
        var (data, target) = generate(random, ThreadedRows);
        var context = ComputeContext.For(new SelfCommunicator());
        var engine = Engine(create());
        var single = engine.Compute(data, target, context.WithThreads(1));
        var threaded = engine.Compute(data, target, context.WithThreads(3));
        AssertClose(single, threaded, "3 threads vs 1");
    }

    private TResult Batch(Table<double> data, Table<double>? target)
        => Compute(create(), data, target);

    private static TResult Compute(Algorithm algorithm, Table<double> data, Table<double>? target) => algorithm switch
    {
        MergeableAlgorithm<TResult> unsupervised => unsupervised.Compute(data),
        SupervisedAlgorithm<TResult> supervised => supervised.Compute(data, target!),
        _ => throw new InvalidOperationException($"{algorithm.GetType().Name} is not mergeable"),
    };

    private static PartialEngine<TResult> Engine(Algorithm algorithm) => algorithm switch
    {
        MergeableAlgorithm<TResult> unsupervised => unsupervised.Engine,
        SupervisedAlgorithm<TResult> supervised => supervised.Engine,
        _ => throw new InvalidOperationException($"{algorithm.GetType().Name} is not mergeable"),
    };

    private static (Action<Table<double>, Table<double>?> Add, Func<TResult> Finalize) OnlineOf(Algorithm algorithm)
    {
        switch (algorithm)
        {
            case MergeableAlgorithm<TResult> unsupervised:
                var online = unsupervised.CreateOnline();
                return ((x, _) => online.Add(x), online.Finalize);
            case SupervisedAlgorithm<TResult> supervised:
                var training = supervised.CreateOnline();
                return ((x, y) => training.Add(x, y!), training.Finalize);
            default:
                throw new InvalidOperationException($"{algorithm.GetType().Name} is not mergeable");
        }
    }

    private static Stream Online(Algorithm algorithm) => new(OnlineOf(algorithm));

    private void AssertClose(TResult expected, TResult actual, string what)
    {
        var e = fields(expected).ToList();
        var a = fields(actual).ToList();
        Assert.Equal(e.Count, a.Count);
        for (int f = 0; f < e.Count; f++)
        {
            string label = $"{Name} {what}: {e[f].Name}";
            if (e[f].Scale is { } scale)
            {
                Compare.Scaled(e[f].Values, a[f].Values, scale, Tolerance, label);
                continue;
            }

            double largest = e[f].Values.Length == 0 ? 0 : e[f].Values.Max(Math.Abs);
            Compare.Relative(e[f].Values, a[f].Values, Tolerance, floor: Math.Max(largest * FloorFraction, 1e-300), what: label);
        }
    }

    private void AssertBitwise(TResult expected, TResult actual, string what)
    {
        var e = fields(expected).ToList();
        var a = fields(actual).ToList();
        Assert.Equal(e.Count, a.Count);
        for (int f = 0; f < e.Count; f++)
        {
            Compare.Bitwise(e[f].Values, a[f].Values, $"{Name} {what}: {e[f].Name}");
        }
    }

    private sealed class Stream((Action<Table<double>, Table<double>?> Add, Func<TResult> Finalize) online)
    {
        public void Add(Table<double> data, Table<double>? target) => online.Add(data, target);

        public TResult Finalize() => online.Finalize();
    }
}

/// <summary>
/// Numbers of a result that the harness compares per entry. <see cref="Scale"/>, when given, is each entry's rounding
/// scale — the sum of the magnitudes of the terms it is computed from — for quantities built by cancellation (an
/// entry near zero of a matrix rebuilt from O(1) terms is accurate to rounding of those terms, not of itself).
/// </summary>
public readonly record struct Field(string Name, double[] Values, double[]? Scale = null)
{
    public static implicit operator Field((string Name, double[] Values) pair) => new(pair.Name, pair.Values);
}
