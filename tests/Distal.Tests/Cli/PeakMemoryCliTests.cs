using System.Globalization;
using Distal.Data;
using Distal.Tests.Data;

namespace Distal.Tests.Cli;

/// <summary>
/// The memory bound of streaming, measured on the `distal` process itself: its peak resident set (VmHWM, from GNU
/// time's %M) over a 62 MB CSV grows by at least the table's size when read whole, and by only about a chunk and the
/// reader's buffers under `--chunk-rows` — both against the same command on a 100-row file, which is the runtime's
/// own footprint. Covariance streams CSV by default; PCA reads it whole.
/// </summary>
public sealed class PeakMemoryCliTests : IDisposable
{
    private const string GnuTime = "/usr/bin/time";

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Streaming_covariance_stays_within_a_chunk_of_the_runtimes_footprint()
    {
        if (!File.Exists(GnuTime))
        {
            Assert.Skip($"{GnuTime} (GNU time) is needed to read a child's peak resident memory");
        }

        // 400 000 × 8 doubles: 25.6 MB as a table, 62 MB as CSV.
        const int Rows = 400_000;
        var random = new Random(17);
        var table = Table<double>.Create(Rows, 8);
        for (int i = 0; i < table.Span.Length; i++)
        {
            table.Span[i] = (random.NextDouble() - 0.5) * 200;
        }

        string big = _directory.File("big.csv");
        string tiny = _directory.File("tiny.csv");
        CsvWriter.Write(big, table);
        CsvWriter.Write(tiny, table.SliceRows(0, 100));
        long tableBytes = (long)Rows * 8 * sizeof(double);

        long footprint = PeakBytes("covariance", "--chunk-rows", "10000", tiny);
        // PCA reads its rows whole; covariance streams CSV by default, as with --chunk-rows.
        long whole = PeakBytes("pca", big);
        long streamed = PeakBytes("covariance", "--chunk-rows", "10000", big);
        long byDefault = PeakBytes("covariance", big);

        // Read whole, the table alone is 25.6 MB: the measurement sees it (so it can see a streaming regression).
        Assert.True(whole - footprint > tableBytes * 3 / 4, $"in memory: {whole >> 20} MiB peak, footprint {footprint >> 20} MiB");

        // Streamed: a 10 000-row chunk is 0.64 MB; with the CSV reader's byte buffers and the partial well under 16 MB.
        Assert.True(streamed - footprint < 16L << 20, $"streamed: {streamed >> 20} MiB peak, footprint {footprint >> 20} MiB");
        Assert.True(byDefault - footprint < 16L << 20, $"streamed by default: {byDefault >> 20} MiB peak, footprint {footprint >> 20} MiB");
    }

    /// <summary>The child's peak resident set in bytes (GNU time reports kilobytes).</summary>
    private long PeakBytes(params string[] arguments)
    {
        string report = _directory.File("peak.txt");

        // One thread, as on any machine: the reader's buffers grow with its threads.
        var (code, stdout, stderr) = DistalProcess.RunUnder([GnuTime, "-f", "%M", "-o", report], new Dictionary<string, string> { ["DISTAL_THREADS"] = "1" }, arguments);
        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.StartsWith("{", stdout.TrimStart(), StringComparison.Ordinal);
        return long.Parse(File.ReadAllLines(report).Last(l => l.Trim().Length > 0).Trim(), CultureInfo.InvariantCulture) * 1024;
    }
}
