using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Distal.Kernels;

namespace Distal.Benchmarks;

/// <summary>
/// Every kernel shape of issue 4 on every managed vector width and on OpenBLAS, side by side in one run.
/// Few iterations: the inputs are hundreds of megabytes and the machine is shared.
/// </summary>
[Config(typeof(KernelBenchmarkConfig))]
public class KernelBenchmarks
{
    private KernelWorkload workload = null!;
    private IDenseKernels kernels = null!;

    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = "";

    [ParamsSource(nameof(Backends))]
    public string Backend { get; set; } = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>The shapes of issue 4; <c>DISTAL_BENCH_KERNELS=xtx,abt,qr</c> narrows them.</summary>
    public static IEnumerable<string> Shapes =>
        new[] { "xtx 1000000x50", "xtx 2000000x20", "abt 1000000x20 by 10x20", "qr 2000000x20" }
            .Where(s => Selected("DISTAL_BENCH_KERNELS", s.Split(' ')[0]));

    /// <summary>Every managed width and OpenBLAS; <c>DISTAL_BENCH_BACKENDS=managed-256,openblas</c> narrows them.</summary>
    public static IEnumerable<string> Backends => QuickRun.DefaultBackends().Where(b => Selected("DISTAL_BENCH_BACKENDS", b));

    [GlobalSetup]
    public void Setup()
    {
        string kernel = Shape.Split(' ')[0];
        workload = QuickRun.Workloads([kernel]).First(w => Shape.EndsWith(w.Shape, StringComparison.Ordinal));
        kernels = DenseKernels.TryCreate(Backend, out string? reason) ?? throw new InvalidOperationException(reason);
    }

    [IterationSetup]
    public void PrepareInput() => workload.Prepare();

    [Benchmark]
    public void Kernel() => workload.Run(kernels, Threads);

    private static bool Selected(string variable, string value)
    {
        string? list = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrWhiteSpace(list) || list.Split(',').Contains(value);
    }

    private sealed class KernelBenchmarkConfig : ManualConfig
    {
        public KernelBenchmarkConfig()
        {
            AddJob(Job.Default.WithWarmupCount(1).WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1));
        }
    }
}
