using System.Diagnostics;
using System.Globalization;

namespace Distal.Cli;

/// <summary>
/// A progress line on stderr for long reads (rank 0 only): bytes read of its share, MB/s, rows when streaming, and the
/// time left; or a status such as k-means' iteration and objective. Redrawn in place at most four times a second, from any thread; never written to stdout, where the JSON
/// result goes. Shown with `--progress`, or by default when stderr is a terminal; `--quiet` silences it.
/// </summary>
/// <param name="what">The line's label.</param>
/// <param name="totalBytes">The bytes to read, for the percentage and the time left (0 when unknown).</param>
/// <param name="output">Where the line goes (stderr).</param>
/// <param name="always">Draw the final line even for a read too short to have been drawn (`--progress` given).</param>
internal sealed class ProgressLine(string what, long totalBytes, TextWriter output, bool always) : IProgress<long>, IDisposable
{
    private static readonly long RedrawTicks = Stopwatch.Frequency / 4;

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _drawing = new();
    private long _bytes;
    private long _rows;
    private long _lastDraw;
    private bool _drawn;
    private string? _status;

    /// <summary>Whether to show progress: `--quiet` wins, then `--progress`, else only when stderr is a terminal.</summary>
    public static bool Wanted(bool progress, bool quiet) => !quiet && (progress || !Console.IsErrorRedirected);

    /// <summary>Whether progress was asked for explicitly, so that even a short read gets its final line.</summary>
    public static bool Forced(bool progress, bool quiet) => progress && !quiet;

    /// <summary>Counts bytes read (called by the readers, possibly from several threads).</summary>
    public void Report(long value)
    {
        Interlocked.Add(ref _bytes, value);
        Draw(false);
    }

    /// <summary>Counts rows handed to a streaming computation.</summary>
    public void AddRows(long rows)
    {
        Interlocked.Add(ref _rows, rows);
        Draw(false);
    }

    /// <summary>Replaces the byte counts with <paramref name="status"/> (iterations: "iteration 7, objective …").</summary>
    public void Show(string status)
    {
        Volatile.Write(ref _status, status);
        Draw(false);
    }

    /// <summary>Draws the final state and ends the line.</summary>
    public void Dispose()
    {
        if (_drawn || always)
        {
            Draw(true);
            lock (_drawing)
            {
                output.WriteLine();
            }
        }
    }

    private void Draw(bool force)
    {
        long now = _clock.ElapsedTicks;
        if (!force && now - Interlocked.Read(ref _lastDraw) < RedrawTicks)
        {
            return;
        }

        lock (_drawing)
        {
            Interlocked.Exchange(ref _lastDraw, now);
            double seconds = Math.Max(_clock.Elapsed.TotalSeconds, 1e-3);
            long bytes = Interlocked.Read(ref _bytes);
            long rows = Interlocked.Read(ref _rows);
            double rate = bytes / seconds;
            if (Volatile.Read(ref _status) is { } status)
            {
                output.Write($"\r{what}: {status}   ");
                output.Flush();
                _drawn = true;
                return;
            }

            var line = new System.Text.StringBuilder().Append(CultureInfo.InvariantCulture, $"\r{what}: {bytes / 1e6:N0}");
            if (totalBytes > 0)
            {
                line.Append(CultureInfo.InvariantCulture, $" / {totalBytes / 1e6:N0} MB ({100.0 * Math.Min(bytes, totalBytes) / totalBytes:F0} %)");
            }
            else
            {
                line.Append(" MB");
            }

            line.Append(CultureInfo.InvariantCulture, $", {rate / 1e6:N0} MB/s");
            if (rows > 0)
            {
                line.Append(CultureInfo.InvariantCulture, $", {rows:N0} rows ({rows / seconds:N0} rows/s)");
            }

            if (totalBytes > bytes && rate > 0)
            {
                line.Append(CultureInfo.InvariantCulture, $", {(totalBytes - bytes) / rate:F0} s left");
            }

            output.Write(line.Append("   ").ToString());
            output.Flush();
            _drawn = true;
        }
    }
}
