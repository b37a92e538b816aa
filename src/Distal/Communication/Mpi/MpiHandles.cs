namespace Distal.Communication.Mpi;

/// <summary>
/// The predefined handles and constants that differ between the two ABIs. Every scalar handle is passed as a
/// pointer-sized integer, which both ABIs accept on 64-bit Linux (MPICH reads the low 32 bits).
/// </summary>
/// <remarks>
/// MPICH values are copied from <c>/usr/include/x86_64-linux-gnu/mpich/mpi.h</c> (MPICH 4.0.2; stable across the
/// MPICH ABI since 3.1). Open MPI values are the addresses of its exported predefined objects or the constants of
/// its <c>mpi.h</c> (4.1.4).
/// </remarks>
internal sealed record MpiHandles
{
    public required nint CommWorld { get; init; }

    public required nint Double { get; init; }

    public required nint Float { get; init; }

    public required nint Int32 { get; init; }

    public required nint Int64 { get; init; }

    public required nint UInt8 { get; init; }

    public required nint Byte { get; init; }

    public required nint Sum { get; init; }

    public required nint Min { get; init; }

    public required nint Max { get; init; }

    public required nint ErrorsReturn { get; init; }

    public required nint InfoNull { get; init; }

    public required nint InPlace { get; init; }

    public required nint StatusIgnore { get; init; }

    public required int CommTypeShared { get; init; }

    public required int MaxErrorString { get; init; }

    public required int MaxLibraryVersionString { get; init; }

    public static MpiHandles Mpich { get; } = new()
    {
        CommWorld = 0x44000000,
        Double = 0x4c00080b,
        Float = 0x4c00040a,
        Int32 = 0x4c000405,
        Int64 = 0x4c00083a,
        UInt8 = 0x4c00013b,
        Byte = 0x4c00010d,
        Sum = 0x58000003,
        Min = 0x58000002,
        Max = 0x58000001,
        ErrorsReturn = 0x54000001,
        InfoNull = 0x1c000000,
        InPlace = -1,
        StatusIgnore = 1,
        CommTypeShared = 1,
        MaxErrorString = 512,
        MaxLibraryVersionString = 8192,
    };

    /// <summary>Open MPI's handles: addresses of the predefined objects exported by <paramref name="library"/>.</summary>
    public static MpiHandles OpenMpi(nint library)
    {
        nint Object(string name) => NativeLibraryExports.Require(library, name);
        return new MpiHandles
        {
            CommWorld = Object("ompi_mpi_comm_world"),
            Double = Object("ompi_mpi_double"),
            Float = Object("ompi_mpi_float"),
            Int32 = Object("ompi_mpi_int"),
            Int64 = Object("ompi_mpi_int64_t"),
            UInt8 = Object("ompi_mpi_uint8_t"),
            Byte = Object("ompi_mpi_byte"),
            Sum = Object("ompi_mpi_op_sum"),
            Min = Object("ompi_mpi_op_min"),
            Max = Object("ompi_mpi_op_max"),
            ErrorsReturn = Object("ompi_mpi_errors_return"),
            InfoNull = Object("ompi_mpi_info_null"),
            InPlace = 1,
            StatusIgnore = 0,
            CommTypeShared = 0,
            MaxErrorString = 256,
            MaxLibraryVersionString = 256,
        };
    }

    /// <summary>The MPI datatype of <typeparamref name="T"/> for reductions.</summary>
    public nint TypeOf<T>()
        where T : unmanaged
    {
        if (typeof(T) == typeof(double))
        {
            return Double;
        }

        if (typeof(T) == typeof(float))
        {
            return Float;
        }

        if (typeof(T) == typeof(int))
        {
            return Int32;
        }

        if (typeof(T) == typeof(long))
        {
            return Int64;
        }

        if (typeof(T) == typeof(byte))
        {
            return UInt8;
        }

        throw new NotSupportedException($"MPI reductions support double, float, int, long and byte, not {typeof(T).Name}.");
    }

    public nint OperationOf(ReduceOperation operation) => operation switch
    {
        ReduceOperation.Sum => Sum,
        ReduceOperation.Min => Min,
        ReduceOperation.Max => Max,
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };
}
