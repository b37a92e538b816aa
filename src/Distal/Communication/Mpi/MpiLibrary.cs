using System.Runtime.InteropServices;

namespace Distal.Communication.Mpi;

/// <summary>
/// A loaded MPI library: its flavour, its predefined handles and the entry points Distal calls, as unmanaged
/// function pointers (no MPI binding exists on NuGet; the C ABI is called directly).
/// </summary>
/// <remarks>Handles travel as <see cref="nint"/>; integer arguments and results are C <c>int</c>.</remarks>
internal sealed unsafe class MpiLibrary
{
    /// <summary>Library names probed for the MPICH ABI, in order: Debian's MPICH, Intel MPI / MVAPICH, Cray MPICH, then unversioned names.</summary>
    public static readonly string[] MpichNames = ["libmpich.so.12", "libmpi.so.12", "libmpi_cray.so.12", "libmpich.so", "libmpi.so"];

    /// <summary>Library names probed for Open MPI, in order (Open MPI 3 to 5 all ship <c>libmpi.so.40</c>).</summary>
    public static readonly string[] OpenMpiNames = ["libmpi.so.40", "libmpi.so"];

    private MpiLibrary(string name, nint handle, MpiFlavour flavour)
    {
        Name = name;
        Flavour = flavour;
        Handles = flavour == MpiFlavour.OpenMpi ? MpiHandles.OpenMpi(handle) : MpiHandles.Mpich;
        nint F(string export) => NativeLibraryExports.Require(handle, export);

        Initialized = (delegate* unmanaged<int*, int>)F("MPI_Initialized");
        Finalized = (delegate* unmanaged<int*, int>)F("MPI_Finalized");
        InitThread = (delegate* unmanaged<int*, nint*, int, int*, int>)F("MPI_Init_thread");
        FinalizeMpi = (delegate* unmanaged<int>)F("MPI_Finalize");
        Abort = (delegate* unmanaged<nint, int, int>)F("MPI_Abort");
        ErrorString = (delegate* unmanaged<int, byte*, int*, int>)F("MPI_Error_string");
        GetLibraryVersion = (delegate* unmanaged<byte*, int*, int>)F("MPI_Get_library_version");
        CommRank = (delegate* unmanaged<nint, int*, int>)F("MPI_Comm_rank");
        CommSize = (delegate* unmanaged<nint, int*, int>)F("MPI_Comm_size");
        CommDup = (delegate* unmanaged<nint, nint*, int>)F("MPI_Comm_dup");
        CommSplit = (delegate* unmanaged<nint, int, int, nint*, int>)F("MPI_Comm_split");
        CommSplitType = (delegate* unmanaged<nint, int, int, nint, nint*, int>)F("MPI_Comm_split_type");
        CommFree = (delegate* unmanaged<nint*, int>)F("MPI_Comm_free");
        CommSetErrhandler = (delegate* unmanaged<nint, nint, int>)F("MPI_Comm_set_errhandler");
        Barrier = (delegate* unmanaged<nint, int>)F("MPI_Barrier");
        Bcast = (delegate* unmanaged<void*, int, nint, int, nint, int>)F("MPI_Bcast");
        Allreduce = (delegate* unmanaged<void*, void*, int, nint, nint, nint, int>)F("MPI_Allreduce");
        Exscan = (delegate* unmanaged<void*, void*, int, nint, nint, nint, int>)F("MPI_Exscan");
        Allgather = (delegate* unmanaged<void*, int, nint, void*, int, nint, nint, int>)F("MPI_Allgather");
        Allgatherv = (delegate* unmanaged<void*, int, nint, void*, int*, int*, nint, nint, int>)F("MPI_Allgatherv");
        Gatherv = (delegate* unmanaged<void*, int, nint, void*, int*, int*, nint, int, nint, int>)F("MPI_Gatherv");
        Alltoallv = (delegate* unmanaged<void*, int*, int*, nint, void*, int*, int*, nint, nint, int>)F("MPI_Alltoallv");
        Send = (delegate* unmanaged<void*, int, nint, int, int, nint, int>)F("MPI_Send");
        Recv = (delegate* unmanaged<void*, int, nint, int, int, nint, nint, int>)F("MPI_Recv");
    }

    private string? _version;

    public string Name { get; }

    public MpiFlavour Flavour { get; }

    public MpiHandles Handles { get; }

    public delegate* unmanaged<int*, int> Initialized { get; }

    public delegate* unmanaged<int*, int> Finalized { get; }

    public delegate* unmanaged<int*, nint*, int, int*, int> InitThread { get; }

    public delegate* unmanaged<int> FinalizeMpi { get; }

    public delegate* unmanaged<nint, int, int> Abort { get; }

    public delegate* unmanaged<int, byte*, int*, int> ErrorString { get; }

    public delegate* unmanaged<byte*, int*, int> GetLibraryVersion { get; }

    public delegate* unmanaged<nint, int*, int> CommRank { get; }

    public delegate* unmanaged<nint, int*, int> CommSize { get; }

    public delegate* unmanaged<nint, nint*, int> CommDup { get; }

    public delegate* unmanaged<nint, int, int, nint*, int> CommSplit { get; }

    public delegate* unmanaged<nint, int, int, nint, nint*, int> CommSplitType { get; }

    public delegate* unmanaged<nint*, int> CommFree { get; }

    public delegate* unmanaged<nint, nint, int> CommSetErrhandler { get; }

    public delegate* unmanaged<nint, int> Barrier { get; }

    public delegate* unmanaged<void*, int, nint, int, nint, int> Bcast { get; }

    public delegate* unmanaged<void*, void*, int, nint, nint, nint, int> Allreduce { get; }

    public delegate* unmanaged<void*, void*, int, nint, nint, nint, int> Exscan { get; }

    public delegate* unmanaged<void*, int, nint, void*, int, nint, nint, int> Allgather { get; }

    public delegate* unmanaged<void*, int, nint, void*, int*, int*, nint, nint, int> Allgatherv { get; }

    public delegate* unmanaged<void*, int, nint, void*, int*, int*, nint, int, nint, int> Gatherv { get; }

    public delegate* unmanaged<void*, int*, int*, nint, void*, int*, int*, nint, nint, int> Alltoallv { get; }

    public delegate* unmanaged<void*, int, nint, int, int, nint, int> Send { get; }

    public delegate* unmanaged<void*, int, nint, int, int, nint, nint, int> Recv { get; }

    /// <summary>
    /// Loads the MPI library: <paramref name="path"/> when given, else the first of the flavour's usual names that
    /// loads and really is of that flavour (Debian's unversioned <c>libmpi.so</c> may be either).
    /// </summary>
    /// <exception cref="DistalException">No suitable library was found.</exception>
    public static MpiLibrary Load(MpiFlavour? flavour, string? path)
    {
        var tried = new List<string>();
        IEnumerable<string> candidates = path is not null ? [path]
            : flavour == MpiFlavour.OpenMpi ? OpenMpiNames
            : flavour == MpiFlavour.MpichAbi ? MpichNames
            : [.. MpichNames, .. OpenMpiNames];
        foreach (string name in candidates)
        {
            nint handle = NativeProcess.LoadGlobal(name, out string? error);
            if (handle == 0)
            {
                tried.Add($"{name} ({error})");
                continue;
            }

            MpiFlavour actual = Classify(handle);
            if (flavour is { } wanted && actual != wanted)
            {
                // The handle stays loaded: unloading an MPI library is not safe, and it is small.
                tried.Add($"{name} (is {Describe(actual)}, not {Describe(wanted)})");
                continue;
            }

            return new MpiLibrary(name, handle, actual);
        }

        string what = flavour is { } f ? Describe(f) : "MPI";
        throw new DistalException(
            FailureKind.Communication,
            $"No {what} library could be loaded; tried {string.Join(", ", tried)}. Install one (Debian: apt-get install mpich or openmpi-bin) or set {LauncherEnvironment.LibraryVariable}=/path/to/libmpi.so.");
    }

    /// <summary>Open MPI exports its predefined objects; MPICH-ABI libraries do not.</summary>
    public static MpiFlavour Classify(nint handle)
        => NativeLibraryExports.Has(handle, "ompi_mpi_comm_world") ? MpiFlavour.OpenMpi : MpiFlavour.MpichAbi;

    public static string Describe(MpiFlavour flavour) => flavour == MpiFlavour.OpenMpi ? "Open MPI" : "MPICH-ABI";

    /// <summary>The library's own description (<c>MPI_Get_library_version</c>, valid before initialization), first line only.</summary>
    public string Version() => _version ??= ReadVersion();

    private string ReadVersion()
    {
        var buffer = new byte[Handles.MaxLibraryVersionString + 1];
        int length = 0;
        fixed (byte* b = buffer)
        {
            if (GetLibraryVersion(b, &length) != 0)
            {
                return Name;
            }
        }

        string text = System.Text.Encoding.UTF8.GetString(buffer, 0, Math.Clamp(length, 0, buffer.Length)).TrimEnd('\0', '\n', ' ');
        int newline = text.IndexOf('\n', StringComparison.Ordinal);

        // MPICH separates "MPICH Version:" from the number with a tab.
        return (newline < 0 ? text : text[..newline]).Replace('\t', ' ').TrimEnd(',', ' ');
    }

    /// <summary>Throws the exception for a non-zero MPI return code, with the library's text for it.</summary>
    public void Check(int code, string call)
    {
        if (code != 0)
        {
            throw new DistalException(FailureKind.Communication, $"{call} failed: {ErrorText(code)} (MPI error {code}).");
        }
    }

    public string ErrorText(int code)
    {
        var buffer = new byte[Handles.MaxErrorString + 1];
        int length = 0;
        fixed (byte* b = buffer)
        {
            if (ErrorString(code, b, &length) != 0)
            {
                return "unknown error";
            }
        }

        return System.Text.Encoding.UTF8.GetString(buffer, 0, Math.Clamp(length, 0, buffer.Length)).TrimEnd('\0', ' ', '\n');
    }

    /// <summary>Reads a handle written by MPI through an <c>MPI_Comm*</c>: 32 bits (sign-extended) for MPICH, a pointer for Open MPI.</summary>
    public nint ReadHandle(nint written) => Flavour == MpiFlavour.MpichAbi ? (int)written : written;
}
