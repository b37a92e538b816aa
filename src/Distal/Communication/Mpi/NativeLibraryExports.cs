using System.Runtime.InteropServices;

namespace Distal.Communication.Mpi;

/// <summary>Looks up the exports of a loaded MPI library.</summary>
internal static class NativeLibraryExports
{
    public static nint Require(nint library, string name)
        => NativeLibrary.TryGetExport(library, name, out nint address)
            ? address
            : throw new DistalException(FailureKind.Communication, $"The MPI library does not export {name}; it is not a complete MPI library of the expected kind.");

    public static bool Has(nint library, string name) => NativeLibrary.TryGetExport(library, name, out _);
}
