using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Distal.Algorithms;
using Distal.Data;
using Microsoft.Win32.SafeHandles;

namespace Distal.Benchmarks;

/// <summary>
/// `csv FILE [--repeats N] [--only TEXT] [--cold [--two | --touch]]` mode: where the time of reading a CSV file goes, stage by stage, each stage alone and in
/// process (no start-up): reading the file into one reused 1 MiB buffer, finding the line ends, finding every
/// separator, converting the fields with the text already in memory, the whole read on one and two threads, and
/// the chunked stream that `distal low-order-moments` and `covariance` read CSV with, and the whole way from the file
/// to the moments on one and two threads: the library's <c>new LowOrderMoments().Compute(path)</c> and the CLI's
/// chunked pipeline. Prints the minimum and the median over N runs of wall time, the CPU time at the minimum, and MB/s
/// of CSV at both.
/// </summary>
internal static class CsvStages
{
    public static int Run(string[] args)
    {
        string path = args.Length > 0 ? args[0] : throw new ArgumentException("csv FILE [--repeats N]");
        int repeatsAt = Array.IndexOf(args, "--repeats");
        int repeats = repeatsAt >= 0 && repeatsAt + 1 < args.Length ? int.Parse(args[repeatsAt + 1], CultureInfo.InvariantCulture) : 5;
        if (args.Contains("--cold") && args.Contains("--touch"))
        {
            // A fresh process's first touch of a table-sized array, as the CLI's read makes it (page faults on
            // memory the VM has not backed yet).
            long count = File.ReadAllBytes(path).AsSpan().Count((byte)'\n') * 20L;
            long touchStart = Stopwatch.GetTimestamp();
            FirstTouch(count);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cold first touch of {count * 8 / 1e6:F0} MB: wall {Stopwatch.GetElapsedTime(touchStart).TotalSeconds:F3} s"));
            return 0;
        }

        if (args.Contains("--cold"))
        {
            // A fresh process's first read, as the CLI does it: tier-0 code, fresh memory.
            int threads = args.Contains("--two") ? 2 : 1;
            TimeSpan cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            int rows = CsvReader.ReadShare<double>(path, 0, 1, threads).Rows;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cold ReadShare, {threads} thread(s): {rows} rows, wall {Stopwatch.GetElapsedTime(start).TotalSeconds:F3} s, cpu {(Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds:F3} s"));
            return 0;
        }

        int onlyAt = Array.IndexOf(args, "--only");
        only = onlyAt >= 0 && onlyAt + 1 < args.Length ? args[onlyAt + 1] : null;
        byte[] text = File.ReadAllBytes(path);
        double mb = text.Length / 1e6;
        long fields = text.AsSpan().Count((byte)',') + text.AsSpan().Count((byte)'\n');
        Console.WriteLine($"{path}: {mb:F0} MB; load average {File.ReadAllText("/proc/loadavg").Trim()}; min and median of {repeats}");
        Stage("read into a reused 1 MiB buffer", mb, repeats, () => ReadOnly(path));
        Stage("find line ends (IndexOf '\\n')", mb, repeats, () => text.AsSpan().Count((byte)'\n'));
        Stage("find separators (Count ',' + '\\n')", mb, repeats, () => text.AsSpan().Count((byte)',') + text.AsSpan().Count((byte)'\n'));
        Stage("allocate + first touch of the table", mb, repeats, () => FirstTouch(fields));
        double[] reused = new double[fields];
        Stage("write the table again (reused)", mb, repeats, () => { reused.AsSpan().Fill(1.0); return reused.Length; });
        int[] starts = FieldStarts(text, (int)fields);
        Stage("convert numbers only (starts known)", mb, repeats, () => ConvertOnly(text, starts));
        Stage("parse in memory, one thread", mb, repeats, () => CsvReader.Parse<double>(text, path, () => 1).Rows);
        Stage("parse in memory, float", mb, repeats, () => CsvReader.Parse<float>(text, path, () => 1).Rows);
        Table<double> parsed = CsvReader.Parse<double>(text, path, () => 1);
        Stage("low-order moments of the parsed table", mb, repeats, () => (long)new LowOrderMoments().Compute(parsed).Minimum!.Length);
        Stage("ReadShare, one thread", mb, repeats, () => CsvReader.ReadShare<double>(path, 0, 1, 1).Rows);
        Stage("ReadShare, two threads", mb, repeats, () => CsvReader.ReadShare<double>(path, 0, 1, 2).Rows);
        Stage("streamed, 16384-row chunks, one thread", mb, repeats, () => Streamed(path, 1));
        Stage("streamed, 16384-row chunks, two threads", mb, repeats, () => Streamed(path, 2));
        foreach (int threads in (int[])[1, 2])
        {
            // The library's threads come from DISTAL_THREADS, read at each call.
            Environment.SetEnvironmentVariable("DISTAL_THREADS", threads.ToString(CultureInfo.InvariantCulture));
            Stage($"file → moments, library Compute(path), {threads}t", mb, repeats, () => (long)new LowOrderMoments().Compute(path).Mean!.Length);
            Stage($"file → moments, CLI's chunked pipeline, {threads}t", mb, repeats, () => StreamedMoments(path, threads));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{fields:N0} fields; 1 GB/s is {text.Length / (double)fields:F1} ns per field"));
        return 0;
    }

    private static string? only;

    private static void Stage(string name, double mb, int repeats, Func<long> work)
    {
        if (only is not null && !name.Contains(only, StringComparison.Ordinal))
        {
            return;
        }

        work();
        double[] walls = new double[repeats];
        double[] cpus = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            TimeSpan cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            work();
            walls[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            cpus[i] = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds;
            GC.Collect();
        }

        double wall = walls.Min();
        double cpu = cpus.Min();
        double median = walls.Order().ElementAt(repeats / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-46} wall min {wall:F3} s  median {median:F3} s  cpu min {cpu:F3} s  {mb / wall,5:F0} MB/s (min)  {mb / median,5:F0} MB/s (median)"));
    }

    /// <summary>
    /// The CLI's CSV path into a reduction (<c>StreamPlan.Stream</c> → <see cref="OnlineComputation{TResult}.AddCsvShare"/>): each thread streams its piece of the file into a
    /// computation of its own, and the pieces are merged in order.
    /// </summary>
    private static long StreamedMoments(string path, int threads)
    {
        var algorithm = new LowOrderMoments();
        OnlineComputation<LowOrderMomentsResult> online = algorithm.CreateOnline();
        online.AddCsvShare<double>(algorithm.CreateOnline, path, 0, 1, 1 << 14, threads);
        return online.Finalize().Mean!.Length;
    }

    /// <summary>Rows of the file streamed as the CLI's reductions stream CSV (a piece per thread).</summary>
    private static long Streamed(string path, int threads)
    {
        long rows = 0;
        CsvChunkReader.StreamPieces<double>(path, 0, 1, 1 << 14, threads, (_, chunk) => Interlocked.Add(ref rows, chunk.Rows));
        return rows;
    }

    private static int[] FieldStarts(byte[] text, int count)
    {
        int[] starts = new int[count];
        int n = 0;
        starts[n++] = 0;
        for (int i = 0; i < text.Length - 1 && n < count; i++)
        {
            if (text[i] is (byte)',' or (byte)'\n')
            {
                starts[n++] = i + 1;
            }
        }

        return starts;
    }

    private static long ConvertOnly(byte[] text, int[] starts)
    {
        double sum = 0;
        foreach (int start in starts)
        {
            int position = start;
            DecimalParser.TryParse(text, ref position, out double value);
            sum += value;
        }

        return (long)sum;
    }

    private static long FirstTouch(long count)
    {
        double[] table = GC.AllocateUninitializedArray<double>((int)count);
        table.AsSpan().Fill(1.0);
        return table.Length;
    }

    private static long ReadOnly(string path)
    {
        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        long total = 0;
        int read;
        while ((read = RandomAccess.Read(handle, buffer.AsSpan(0, 1 << 20), total)) > 0)
        {
            total += read;
        }

        ArrayPool<byte>.Shared.Return(buffer);
        return total;
    }
}
