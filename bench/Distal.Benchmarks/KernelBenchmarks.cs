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

    public static IEnumerable<string> Shapes => ["xtx 1000000x50", "xtx 2000000x20", "abt 1000000x20 by 10x20", "qr 2000000x20"];

    public static IEnumerable<string> Backends => QuickRun.DefaultBackends();

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

    private sealed class KernelBenchmarkConfig : ManualConfig
    {
        public KernelBenchmarkConfig()
        {
            AddJob(Job.Default.WithWarmupCount(1).WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1));
        }
    }
}
