using System.Runtime.InteropServices;

namespace Distal.Kernels;

/// <summary>
/// The system's OpenBLAS (<c>libopenblas.so.0</c>: CBLAS plus Fortran LAPACK, no LAPACKE), loaded at run time and
/// called through function pointers. Fortran entry points take every argument by reference, and each character
/// argument adds a hidden length argument at the end of the list.
/// </summary>
internal sealed unsafe class OpenBlasLibrary
{
    public const int RowMajor = 101;
    public const int NoTrans = 111;
    public const int Trans = 112;
    public const int Upper = 121;

    private static readonly string[] Candidates = ["libopenblas.so.0", "libopenblas.so", "libopenblas.dylib", "libopenblas.dll"];
    private static readonly Lazy<(OpenBlasLibrary? Library, string? Error)> Shared = new(Load);

    private readonly nint handle;
    private readonly object threadGate = new();
    private int threadsInEffect = -1;
    private int callsInFlight;

    private OpenBlasLibrary(nint handle, string path)
    {
        this.handle = handle;
        Path = path;
        Dsyrk = (delegate* unmanaged<int, int, int, int, int, double, double*, int, double, double*, int, void>)Export("cblas_dsyrk");
        Dgemm = (delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void>)Export("cblas_dgemm");
        Dgelqf = (delegate* unmanaged<int*, int*, double*, int*, double*, double*, int*, int*, void>)Export("dgelqf_");
        Dorglq = (delegate* unmanaged<int*, int*, int*, double*, int*, double*, double*, int*, int*, void>)Export("dorglq_");
        Dpotrf = (delegate* unmanaged<byte*, int*, double*, int*, int*, nuint, void>)Export("dpotrf_");
        Dpotrs = (delegate* unmanaged<byte*, int*, int*, double*, int*, double*, int*, int*, nuint, void>)Export("dpotrs_");
        Dsyevd = (delegate* unmanaged<byte*, byte*, int*, double*, int*, double*, double*, int*, int*, int*, int*, nuint, nuint, void>)Export("dsyevd_");
        Dgesdd = (delegate* unmanaged<byte*, int*, int*, double*, int*, double*, double*, int*, double*, int*, double*, int*, int*, int*, nuint, void>)Export("dgesdd_");
        SetNumThreads = (delegate* unmanaged<int, void>)Export("openblas_set_num_threads");
        var getConfig = (delegate* unmanaged<byte*>)Export("openblas_get_config");
        Config = Marshal.PtrToStringUTF8((nint)getConfig()) ?? "";
    }

    public string Path { get; }

    public string Config { get; }

    public delegate* unmanaged<int, int, int, int, int, double, double*, int, double, double*, int, void> Dsyrk { get; }

    public delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void> Dgemm { get; }

    public delegate* unmanaged<int*, int*, double*, int*, double*, double*, int*, int*, void> Dgelqf { get; }

    public delegate* unmanaged<int*, int*, int*, double*, int*, double*, double*, int*, int*, void> Dorglq { get; }

    public delegate* unmanaged<byte*, int*, double*, int*, int*, nuint, void> Dpotrf { get; }

    public delegate* unmanaged<byte*, int*, int*, double*, int*, double*, int*, int*, nuint, void> Dpotrs { get; }

    public delegate* unmanaged<byte*, byte*, int*, double*, int*, double*, double*, int*, int*, int*, int*, nuint, nuint, void> Dsyevd { get; }

    public delegate* unmanaged<byte*, int*, int*, double*, int*, double*, double*, int*, double*, int*, double*, int*, int*, int*, nuint, void> Dgesdd { get; }

    private delegate* unmanaged<int, void> SetNumThreads { get; }

    /// <summary>
    /// Fixes OpenBLAS's thread count for the calls made until the scope is disposed. The count is one process-wide
    /// setting, and OpenBLAS's results depend on it (a 4×4 <c>dsyevd</c> differs in the last bit between 1 and 2
    /// threads), so concurrent callers — embedded ranks, a test running beside another — must not change it under
    /// each other: calls that want the same count run together, and a call that wants another count waits until
    /// they have finished. Scopes must not nest.
    /// </summary>
    public ThreadScope Threads(int threads)
    {
        threads = Math.Max(1, threads);
        lock (threadGate)
        {
            while (callsInFlight > 0 && threadsInEffect != threads)
            {
                Monitor.Wait(threadGate);
            }

            if (threadsInEffect != threads)
            {
                SetNumThreads(threads);
                threadsInEffect = threads;
            }

            callsInFlight++;
        }

        return new ThreadScope(this);
    }

    private void Release()
    {
        lock (threadGate)
        {
            if (--callsInFlight == 0)
            {
                Monitor.PulseAll(threadGate);
            }
        }
    }

    /// <summary>The calls made under one thread count; see <see cref="Threads"/>.</summary>
    public readonly struct ThreadScope : IDisposable
    {
        private readonly OpenBlasLibrary library;

        internal ThreadScope(OpenBlasLibrary library) => this.library = library;

        public void Dispose() => library.Release();
    }

    /// <summary>The process-wide library, or null with the reason it could not be loaded.</summary>
    public static OpenBlasLibrary? TryGet(out string? error)
    {
        (OpenBlasLibrary? library, string? loadError) = Shared.Value;
        error = loadError;
        return library;
    }

    private static (OpenBlasLibrary?, string?) Load()
    {
        // OpenBLAS starts a pool of one thread per core when it loads, and each pool thread spins (sched_yield) for a
        // while before it sleeps: a one-thread run then keeps the second core busy too. Every call here sets its
        // thread count (Threads), and OpenBLAS grows the pool when a call asks for more, so it starts with one.
        if (OperatingSystem.IsLinux())
        {
            Communication.Mpi.NativeProcess.SetDefault("OPENBLAS_NUM_THREADS", "1");
        }

        var failures = new List<string>();
        foreach (string name in Candidates)
        {
            if (!NativeLibrary.TryLoad(name, out nint handle))
            {
                failures.Add(name);
                continue;
            }

            try
            {
                return (new OpenBlasLibrary(handle, name), null);
            }
            catch (EntryPointNotFoundException e)
            {
                NativeLibrary.Free(handle);
                return (null, $"{name} lacks a required export: {e.Message}");
            }
        }

        return (null, $"none of {string.Join(", ", failures)} could be loaded (install libopenblas0-pthread or libopenblas0)");
    }

    private nint Export(string name) =>
        NativeLibrary.TryGetExport(handle, name, out nint address)
            ? address
            : throw new EntryPointNotFoundException(name);
}
