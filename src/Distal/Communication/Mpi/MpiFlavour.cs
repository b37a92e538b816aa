namespace Distal.Communication.Mpi;

/// <summary>The two binary interfaces of the MPI libraries found on clusters.</summary>
internal enum MpiFlavour
{
    /// <summary>MPICH and its derivatives (Intel MPI, MVAPICH, Cray MPICH): handles are 32-bit integers.</summary>
    MpichAbi,

    /// <summary>Open MPI: a handle is the address of an exported object such as <c>ompi_mpi_comm_world</c>.</summary>
    OpenMpi,
}
