using Distal.Algorithms;
using Distal.Data;
using Distal.Tests.Cli;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Data;

/// <summary>
/// Out-of-core reading: chunks of a share concatenate to the share, streaming allocates about one chunk whatever the
/// file's size, and every streaming algorithm gives the in-memory result from chunks (≤ 1e-12 relative).
/// </summary>
public sealed class ChunkedReadTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    /// <summary>About 3.3 MB of CSV: several 1 MiB reads, so CSV chunks really are cut.</summary>
    private Table<double> WriteTable(string name, int rows = 40_000, int columns = 4)
    {
        // Correlated columns far from zero, with eigenvalues within a factor of about 100: no entry of the covariance
        // is a near-cancellation and no eigenvalue is tiny next to the largest, so a per-entry comparison of two
        // summation orders is fair.
        var random = new Random(rows + columns);
        var table = Table<double>.Create(rows, columns);
        for (int r = 0; r < rows; r++)
        {
            double shared = random.NextDouble() - 0.5;
            for (int c = 0; c < columns; c++)
            {
                table[r, c] = 1e3 + (shared * (c + 1)) + (random.NextDouble() - 0.5);
            }
        }

        string path = _directory.File(name);
        DataFile.FormatOf(path).Write(path, table);
        return table;
    }

    [Theory]
    [InlineData("t.csv", 1)]
    [InlineData("t.csv", 5000)]
    [InlineData("t.npy", 1)]
    [InlineData("t.npy", 777)]
    [InlineData("t.parquet", 3000)]
    [InlineData("t.arrow", 3000)]
    public void Chunks_of_every_share_concatenate_to_the_share(string name, int chunkRows)
    {
        DataFile.Register(Distal.Parquet.ParquetFormat.Instance);
        DataFile.Register(Distal.Arrow.ArrowFormat.Instance);
        WriteTable(name);
        string path = _directory.File(name);
        TableFormat format = DataFile.FormatOf(path);
        foreach (int shares in new[] { 1, 3 })
        {
            for (int share = 0; share < shares; share++)
            {
                Table<double> whole = format.ReadShare<double>(path, share, shares, TableReadOptions.Default);
                var rows = new List<double>();
                int chunks = 0;
                foreach (Table<double> chunk in format.ReadChunks<double>(path, share, shares, chunkRows, TableReadOptions.Default))
                {
                    Assert.Equal(4, chunk.Columns);
                    rows.AddRange(chunk.Span.ToArray());
                    chunks++;
                }

                Compare.Bitwise(whole.Span, rows.ToArray(), $"{name} share {share} of {shares}");
                Assert.True(chunks == (whole.Rows + chunkRows - 1) / chunkRows, $"{name}: {chunks} chunks of {chunkRows} for {whole.Rows} rows");
            }
        }
    }

    [Fact]
    public void Streaming_a_CSV_file_allocates_about_one_chunk_not_the_table()
    {
        Table<double> table = WriteTable("big.csv", rows: 200_000);
        string path = _directory.File("big.csv");
        long tableBytes = table.Span.Length * sizeof(double);
        foreach (Table<double> warmUp in DataFile.FormatOf(path).ReadChunks<double>(path, 0, 1, 10, TableReadOptions.Default))
        {
            // The parser's one-time tables (powers of five, ~12 MB built at first use) are not what this test measures.
            break;
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        long rows = 0;
        foreach (Table<double> chunk in DataFile.FormatOf(path).ReadChunks<double>(path, 0, 1, 2000, TableReadOptions.Default))
        {
            rows += chunk.Rows;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(table.Rows, rows);
        // One 1 MiB read buffer (pooled) and the values of about one read (~0.5 MB here, grown once or twice).
        Assert.True(allocated < tableBytes / 4, $"streaming allocated {allocated:N0} bytes for a {tableBytes:N0}-byte table");
    }

    public static TheoryData<string> StreamingAlgorithms => ["moments", "covariance", "pcaCorrelation", "pcaSvd", "qr", "svd"];

    [Theory]
    [MemberData(nameof(StreamingAlgorithms))]
    public void Every_streaming_algorithm_gives_the_in_memory_result_from_chunks_on_1_to_3_ranks(string which)
    {
        WriteTable("s.csv");
        string path = _directory.File("s.csv");
        for (int ranks = 1; ranks <= 3; ranks++)
        {
            double[][] results = Spmd.RunLocal(ranks, spmd =>
            {
                Table<double> mine = DataFile.ReadShare<double>(path, spmd.Rank, spmd.Size);
                double[] inMemory = Run(which, a => ((dynamic)a).Compute(mine));
                double[] streamed = Run(which, a =>
                {
                    dynamic online = ((dynamic)a).CreateOnline();
                    foreach (Table<double> chunk in DataFile.FormatOf(path).ReadChunks<double>(path, spmd.Rank, spmd.Size, 1500, TableReadOptions.Default))
                    {
                        online.Add(chunk);
                    }

                    return online.Finalize();
                });
                Compare.Relative(inMemory, streamed, 1e-12, what: $"{which} on {spmd.Size} ranks");
                return streamed;
            });
            Assert.NotEmpty(results[0]);
        }
    }

    [Fact]
    public void Command_line_streams_with_chunk_rows_and_refuses_what_cannot_stream()
    {
        WriteTable("c.csv");
        string path = _directory.File("c.csv");
        double[] inMemory = DistalProcess.Flatten(DistalProcess.RunJson("covariance", "--ranks", "2", path)["covariance"]);
        double[] streamed = DistalProcess.Flatten(DistalProcess.RunJson("covariance", "--ranks", "2", "--chunk-rows", "1000", path)["covariance"]);
        Compare.Relative(inMemory, streamed, 1e-12, what: "covariance");
        double[] budget = DistalProcess.Flatten(DistalProcess.RunJson("low-order-moments", "--ranks", "2", "--memory-budget", "100K", path)["mean"]);
        double[] mean = DistalProcess.Flatten(DistalProcess.RunJson("low-order-moments", "--ranks", "2", path)["mean"]);
        Compare.Relative(mean, budget, 1e-12, what: "mean");

        // Progress goes to stderr only (rank 0), never into the JSON; when stderr is not a terminal, only on request.
        var shown = DistalProcess.Run("covariance", "--ranks", "2", "--progress", path);
        Assert.Equal(0, shown.ExitCode);
        Assert.Contains("reading: ", shown.Stderr, StringComparison.Ordinal);
        Assert.Contains("(100 %)", shown.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("{", shown.Stdout.TrimStart(), StringComparison.Ordinal);
        Assert.DoesNotContain("reading", shown.Stdout, StringComparison.Ordinal);
        var streamedProgress = DistalProcess.Run("covariance", "--progress", "--chunk-rows", "1000", path);
        Assert.Contains("rows", streamedProgress.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, DistalProcess.Run("covariance", path).Stderr);
        Assert.Equal(string.Empty, DistalProcess.Run("covariance", "--progress", "--quiet", path).Stderr);

        var refused = DistalProcess.Run("kmeans-init", "--clusters", "2", "--chunk-rows", "100", path);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("without --chunk-rows", refused.Stderr, StringComparison.Ordinal);
        var bad = DistalProcess.Run("covariance", "--memory-budget", "lots", path);
        Assert.Equal(2, bad.ExitCode);
    }

    private static double[] Run(string which, Func<object, object> compute)
    {
        switch (which)
        {
            case "moments":
                var m = (LowOrderMomentsResult)compute(new LowOrderMoments { Distributed = true });
                return [.. m.Mean!, .. m.Variance!, .. m.Minimum!, .. m.Maximum!];
            case "covariance":
                return [.. ((CovarianceResult)compute(new Covariance { Distributed = true })).Covariance!.Span.ToArray()];
            case "pcaCorrelation":
            case "pcaSvd":
                var p = (PcaResult)compute(new Pca { Distributed = true, Method = which == "pcaSvd" ? PcaMethod.SvdDense : PcaMethod.CorrelationDense });
                return [.. p.Eigenvalues];
            case "qr":
                return [.. ((QrResult)compute(new Qr { Distributed = true })).MatrixR.Span.ToArray().Select(Math.Abs)];
            default:
                return [.. ((SvdResult)compute(new Svd { Distributed = true })).SingularValues];
        }
    }
}
