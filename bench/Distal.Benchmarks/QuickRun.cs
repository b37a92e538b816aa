using System.Diagnostics;
using System.Globalization;
using Distal.Kernels;

namespace Distal.Benchmarks;

/// <summary>
/// `quick` mode: times each kernel on each backend with a stopwatch (one warm-up, then N runs) and prints one
/// JSON line per measurement, for bench/kernels_vs_numpy.py to put beside numpy's figures.
/// Options: --repeats N, --threads T[,T...], --backends a,b,..., --kernels xtx,abt,qr (also xtx-shifted: 1e6×50 about a shift row, with the sums; xtx-cached: 20000×50, in cache; xtx:ROWSxCOLS: any shape; qr-r: R only; xtx-wide: p = 200, 1000, 2000).
/// </summary>
internal static class QuickRun
{
    public static int Run(string[] args)
    {
        int repeats = 5;
        int[] threadCounts = [1, Environment.ProcessorCount];
        string[] kernelsWanted = ["xtx", "abt", "qr"];
        List<string> backends = DefaultBackends();
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--repeats":
                    repeats = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "--threads":
                    threadCounts = [.. value.Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture))];
                    break;
                case "--backends":
                    backends = [.. value.Split(',')];
                    break;
                case "--kernels":
                    kernelsWanted = value.Split(',');
                    break;
                default:
                    throw new ArgumentException($"Unknown option {args[i]}.");
            }

            i++;
        }

        threadCounts = [.. threadCounts.Distinct()];
        foreach (KernelWorkload workload in Workloads(kernelsWanted))
        {
            foreach (string backend in backends)
            {
                IDenseKernels? kernels = DenseKernels.TryCreate(backend, out string? reason);
                if (kernels is null)
                {
                    Console.Error.WriteLine($"skipping {backend}: {reason}");
                    continue;
                }

                foreach (int threads in threadCounts)
                {
                    (double[] seconds, double[] cpuSeconds) = Time(workload, kernels, threads, repeats);
                    double median = Median(seconds);
                    double cpuMedian = Median(cpuSeconds);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{{\"kernel\":\"{workload.Kernel}\",\"shape\":\"{workload.Shape}\",\"backend\":\"{kernels.Name}\",\"threads\":{threads}," +
                        $"\"median_s\":{median:R},\"gflops\":{workload.Flops / median / 1e9:F2},\"best_s\":{seconds.Min():R},\"best_gflops\":{workload.Flops / seconds.Min() / 1e9:F2},\"cpu_median_s\":{cpuMedian:R},\"gflops_per_cpu\":{workload.Flops / cpuMedian / 1e9:F2},\"runs_s\":[{string.Join(",", seconds.Select(s => s.ToString("R", CultureInfo.InvariantCulture)))}]}}"));
                }
            }
        }

        return 0;
    }

    public static IEnumerable<KernelWorkload> Workloads(IEnumerable<string> kernels)
    {
        foreach (string kernel in kernels)
        {
            switch (kernel)
            {
                case "xtx":
                    yield return new KernelWorkload("xtx", 1_000_000, 50);
                    yield return new KernelWorkload("xtx", 2_000_000, 20);
                    break;
                case "xtx-shifted":
                    yield return new KernelWorkload("xtx-shifted", 1_000_000, 50);
                    break;
                case "xtx-cached":
                    // 8 MB: in the L3, so the figure is the kernel's arithmetic rate without the memory stream.
                    yield return new KernelWorkload("xtx", 20_000, 50);
                    break;
                case "xtx-wide":
                    yield return new KernelWorkload("xtx-wide", 100_000, 200);
                    yield return new KernelWorkload("xtx-wide", 20_000, 1000);
                    yield return new KernelWorkload("xtx-wide", 8_000, 2000);
                    break;
                case "abt":
                    yield return new KernelWorkload("abt", 1_000_000, 20, 10);
                    break;
                case "qr":
                    yield return new KernelWorkload("qr", 2_000_000, 20);
                    break;
                case "qr-r":
                    yield return new KernelWorkload("qr-r", 2_000_000, 20);
                    break;
                case var shaped when shaped.StartsWith("xtx:", StringComparison.Ordinal) && shaped[4..].Split('x') is [var r, var c]:
                    // xtx:ROWSxCOLS, any shape, e.g. xtx:1000000x30.
                    yield return new KernelWorkload("xtx", int.Parse(r, CultureInfo.InvariantCulture), int.Parse(c, CultureInfo.InvariantCulture));
                    break;
                default:
                    throw new ArgumentException($"Unknown kernel '{kernel}'.");
            }
        }
    }

    public static List<string> DefaultBackends()
    {
        var names = new List<string>();
        foreach (SimdWidth width in SimdWidths.Supported)
        {
            names.Add("managed-" + SimdWidths.Label(width));
        }

        names.AddRange(DenseKernels.CandidateNames.Where(n => !n.StartsWith("managed-", StringComparison.Ordinal)));
        return names;
    }

    /// <summary>
    /// Wall-clock seconds per run, and the process's CPU seconds per run: on a shared machine the latter shows what
    /// the kernel costs when it is not waiting for a core (it includes any native BLAS threads of this process).
    /// </summary>
    private static (double[] Wall, double[] Cpu) Time(KernelWorkload workload, IDenseKernels kernels, int threads, int repeats)
    {
        workload.Prepare();
        workload.Run(kernels, threads);
        double[] seconds = new double[repeats];
        double[] cpu = new double[repeats];
        using var process = Process.GetCurrentProcess();
        for (int r = 0; r < repeats; r++)
        {
            workload.Prepare();
            process.Refresh();
            TimeSpan cpuStart = process.TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            workload.Run(kernels, threads);
            seconds[r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            process.Refresh();
            cpu[r] = (process.TotalProcessorTime - cpuStart).TotalSeconds;
        }

        return (seconds, cpu);
    }

    private static double Median(double[] values)
    {
        double[] sorted = [.. values.Order()];
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
    }
}
