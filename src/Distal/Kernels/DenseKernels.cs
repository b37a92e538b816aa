namespace Distal.Kernels;

/// <summary>
/// The backend the algorithms use, chosen once per process. Without OpenBLAS: the managed kernels. With it: the
/// managed tall-skinny kernels plus OpenBLAS's LAPACK factorizations (<see cref="CompositeDenseKernels"/>, chosen
/// by measurement). <c>DISTAL_BLAS=managed|openblas</c> forces one backend for everything (forcing OpenBLAS where
/// it is missing is an error).
/// </summary>
internal static class DenseKernels
{
    public const string BackendVariable = "DISTAL_BLAS";

    /// <summary>The managed backend at the process's default vector width.</summary>
    public static ManagedDenseKernels Managed => managed.Value;

    private static readonly Lazy<ManagedDenseKernels> managed = new(() => new ManagedDenseKernels(SimdWidths.Default));

    // Lazy, so that a bad DISTAL_BLAS value surfaces as its own clear exception rather than a type initializer failure.
    private static readonly Lazy<IDenseKernels> current = new(() => Choose(Environment.GetEnvironmentVariable(BackendVariable)));

    public static IDenseKernels Current => current.Value;

    /// <summary>Every backend name the tests exercise; a name may be unavailable on this machine.</summary>
    internal static IReadOnlyList<string> CandidateNames { get; } =
        ["managed-scalar", "managed-128", "managed-256", "managed-512", "openblas", "auto"];

    /// <summary>Creates the named backend, or returns null with the reason when it cannot run here.</summary>
    internal static IDenseKernels? TryCreate(string name, out string? reason)
    {
        reason = null;
        if (name.StartsWith("managed-", StringComparison.Ordinal))
        {
            SimdWidth width;
            try
            {
                width = SimdWidths.Choose(name["managed-".Length..]);
            }
            catch (DistalException e)
            {
                reason = e.Message;
                return null;
            }

            return new ManagedDenseKernels(width);
        }

        if (name == "auto")
        {
            return Choose(null);
        }

        if (name == "openblas")
        {
            OpenBlasLibrary? library = OpenBlasLibrary.TryGet(out reason);
            return library is null ? null : new OpenBlasDenseKernels(library);
        }

        reason = $"unknown backend '{name}'";
        return null;
    }

    internal static IDenseKernels Choose(string? requested)
    {
        OpenBlasLibrary? library = OpenBlasLibrary.TryGet(out string? error);
        return Choose(requested, library, error);
    }

    /// <summary>The choice itself, given what loading OpenBLAS gave (tests pass a missing library).</summary>
    internal static IDenseKernels Choose(string? requested, OpenBlasLibrary? library, string? error)
    {
        switch (requested?.Trim().ToLowerInvariant())
        {
            case null or "" or "auto":
                return library is null ? Managed : new CompositeDenseKernels(Managed, new OpenBlasDenseKernels(library));
            case "managed":
                return Managed;
            case "openblas":
                return library is null
                    ? throw new DistalException(FailureKind.Usage, $"{BackendVariable}=openblas was requested but OpenBLAS is unavailable: {error}")
                    : new OpenBlasDenseKernels(library);
            default:
                throw new DistalException(
                    FailureKind.Usage, $"{BackendVariable}='{Excerpt.Of(requested)}' is not a known backend; use 'managed', 'openblas' or 'auto'.");
        }
    }
}
