using Distal.Communication;
using Distal.Kernels;

namespace Distal.Algorithms;

/// <summary>
/// Where and how one computation runs, as opposed to what it computes (the algorithm's options): the communicator
/// of its ranks, the dense-kernel backend and the compute threads this rank may use. Resolved once, at the public
/// entry point (<c>Compute</c>, <c>CreateOnline</c>), and passed down, so no algorithm code looks these up itself.
/// </summary>
/// <remarks>
/// The kernel backend is process-wide (<c>DISTAL_BLAS</c>, chosen once per process); partial results that factor or
/// multiply while merging use that same backend, so a context's <see cref="Kernels"/> and theirs never differ.
/// </remarks>
internal sealed class ComputeContext
{
    private ComputeContext(Communicator communicator, IDenseKernels kernels, int threads)
    {
        Communicator = communicator;
        Kernels = kernels;
        Threads = threads;
    }

    /// <summary>The ranks of the computation (a fresh single-rank world for a batch computation).</summary>
    public Communicator Communicator { get; }

    /// <summary>The dense-kernel backend (managed SIMD, OpenBLAS/LAPACK, or the composite default).</summary>
    public IDenseKernels Kernels { get; }

    /// <summary>Compute threads for this rank: its share of the node's cores (<c>DISTAL_THREADS</c> overrides).</summary>
    public int Threads { get; }

    /// <summary>The context of a computation over <paramref name="communicator"/>'s ranks.</summary>
    /// <remarks>Across ranks the backend is resolved collectively: a rank that cannot load it (DISTAL_BLAS=openblas
    /// on a node without OpenBLAS) is one agreed error, not a rank missing from the first collective.</remarks>
    public static ComputeContext For(Communicator communicator)
        => new(communicator, communicator.Size > 1 ? communicator.Collectively(() => DenseKernels.Current) : DenseKernels.Current, ThreadBudget.For(communicator));

    /// <summary>The same context with exactly <paramref name="threads"/> compute threads (tests force the threaded paths).</summary>
    public ComputeContext WithThreads(int threads) => new(Communicator, Kernels, Math.Max(1, threads));

    /// <summary>
    /// The context an algorithm's settings ask for: with <paramref name="distributed"/>, the explicit
    /// <paramref name="communicator"/>, else the current <see cref="Spmd"/> session's; without, a world of one.
    /// </summary>
    /// <exception cref="DistalException">Distributed with neither a communicator nor a session (under mpiexec this
    /// would otherwise compute silently on each rank's own rows).</exception>
    public static ComputeContext Resolve(bool distributed, Communicator? communicator, string algorithm)
    {
        if (!distributed)
        {
            // A fresh single-rank world per computation: its self-send mailbox must not be shared by batch
            // computations running at the same time on other threads.
            return For(new SelfCommunicator());
        }

        return For(communicator ?? Spmd.Ambient ?? throw new DistalException(
            FailureKind.Usage,
            $"{algorithm}: Distributed = true needs an SPMD session (using var spmd = Spmd.Init(), or Spmd.RunLocal) or an explicit Communicator"));
    }
}
