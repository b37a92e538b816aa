namespace Distal.Communication.Mpi;

/// <summary>
/// A communicator over a real MPI library (MPICH ABI or Open MPI), called through unmanaged function pointers.
/// Every MPI call returns its error code (the communicator's error handler is <c>MPI_ERRORS_RETURN</c>), and a
/// non-zero code becomes a <see cref="DistalException"/> of kind <see cref="FailureKind.Communication"/>.
/// </summary>
/// <remarks>
/// Buffers longer than <see cref="ChunkLimit"/> elements are moved in several calls, because MPI counts are C ints.
/// Floating-point reductions combine contributions in rank order (as the embedded engine does), so results are
/// bitwise identical on every rank and between engines; integer reductions use MPI's own reduction.
/// </remarks>
internal sealed unsafe partial class MpiCommunicator : Communicator
{
    private readonly MpiLibrary _library;
    private readonly bool _isWorld;
    private nint _comm;
    private bool _disposed;

    private MpiCommunicator(MpiLibrary library, nint comm, bool isWorld)
    {
        _library = library;
        _comm = comm;
        _isWorld = isWorld;
        try
        {
            Check(library.CommSetErrhandler(comm, library.Handles.ErrorsReturn), "MPI_Comm_set_errhandler");
            int value = 0;
            Check(library.CommRank(comm, &value), "MPI_Comm_rank");
            Rank = value;
            Check(library.CommSize(comm, &value), "MPI_Comm_size");
            Size = value;

            // Counted now, while every member is constructing this communicator collectively: asking later, from
            // whichever rank first needs a thread budget, could leave the other ranks out of the collective.
            nint node = 0;
            Check(library.CommSplitType(comm, library.Handles.CommTypeShared, 0, library.Handles.InfoNull, &node), "MPI_Comm_split_type");
            node = library.ReadHandle(node);
            Check(library.CommSize(node, &value), "MPI_Comm_size");
            RanksOnNodeCount = value;
            Check(library.CommFree(&node), "MPI_Comm_free");
        }
        catch
        {
            FreeCommunicator();
            throw;
        }
    }

    public override int Rank { get; }

    public override int Size { get; }

    public override string Description => $"MPI ({_library.Version()}, {MpiLibrary.Describe(_library.Flavour)} via {_library.Name}), rank {Rank} of {Size}";

    /// <summary>
    /// The most elements (or bytes, for untyped transfers) one MPI call moves. Larger buffers are chunked.
    /// Lowered only by tests; every rank must use the same value.
    /// </summary>
    internal int ChunkLimit { get; set; } = int.MaxValue;

    internal MpiFlavour Flavour => _library.Flavour;

    internal override int RanksOnNode => RanksOnNodeCount;

    private int RanksOnNodeCount { get; }

    /// <summary>A duplicate of <c>MPI_COMM_WORLD</c>, so Distal's messages never match a user's own MPI traffic.</summary>
    public static MpiCommunicator DuplicateWorld(MpiLibrary library)
    {
        ArgumentNullException.ThrowIfNull(library);
        nint world = 0;
        library.Check(library.CommSetErrhandler(library.Handles.CommWorld, library.Handles.ErrorsReturn), "MPI_Comm_set_errhandler");
        library.Check(library.CommDup(library.Handles.CommWorld, &world), "MPI_Comm_dup");
        return new MpiCommunicator(library, library.ReadHandle(world), isWorld: true);
    }

    public override void Barrier()
    {
        using var watch = Watch("MPI_Barrier");
        Check(_library.Barrier(Comm), "MPI_Barrier");
    }

    public override void Broadcast<T>(Span<T> values, int root)
    {
        CheckRank(root);
        using var watch = Watch("MPI_Bcast");

        // Offsets in bytes are long and never pass through a span: MemoryMarshal.AsBytes would overflow at 2 GiB.
        long total = (long)values.Length * sizeof(T);
        fixed (T* start = values)
        {
            byte* p = (byte*)start;
            for (long offset = 0; offset < total; offset += ChunkLimit)
            {
                Check(_library.Bcast(p + offset, ChunkAt(total, offset), _library.Handles.Byte, root, Comm), "MPI_Bcast");
            }
        }
    }

    public override Communicator Split(int color, int key)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(color);
        nint created = 0;
        using var watch = Watch("MPI_Comm_split");
        Check(_library.CommSplit(Comm, color, key, &created), "MPI_Comm_split");
        return new MpiCommunicator(_library, _library.ReadHandle(created), isWorld: false) { ChunkLimit = ChunkLimit };
    }

    protected override void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        FreeCommunicator();
        if (_isWorld)
        {
            MpiRuntime.ReleaseWorld(_library);
        }

        base.Dispose(disposing);
    }

    private nint Comm => _disposed ? throw new ObjectDisposedException(nameof(MpiCommunicator)) : _comm;

    /// <summary>Frees the MPI communicator unless MPI is already finalized (then MPI has released it).</summary>
    private void FreeCommunicator()
    {
        if (_comm == 0)
        {
            return;
        }

        int finalized = 0;
        if (_library.Finalized(&finalized) == 0 && finalized == 0)
        {
            nint comm = _comm;
            Check(_library.CommFree(&comm), "MPI_Comm_free");
        }

        _comm = 0;
    }

    /// <summary>The length of the chunk of a <paramref name="total"/>-long buffer that starts at <paramref name="offset"/>.</summary>
    private int ChunkAt(long total, long offset) => (int)Math.Min(ChunkLimit, total - offset);

    private void Check(int code, string call) => _library.Check(code, call);

    /// <summary>Registers a blocking call with the watchdog while it runs (a no-op without a timeout).</summary>
    private static CollectiveWatchdog.Scope Watch(string call) => CollectiveWatchdog.Watch(MpiRuntime.WorldRank, call);

    private void CheckRank(int rank)
    {
        if ((uint)rank >= (uint)Size)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"Rank must be in [0, {Size}).");
        }
    }
}
