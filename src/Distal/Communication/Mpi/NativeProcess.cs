using System.Runtime.InteropServices;

namespace Distal.Communication.Mpi;

/// <summary>The few C library calls the MPI layer and the OpenBLAS loader need (Linux, glibc).</summary>
internal static partial class NativeProcess
{
    private const string LibC = "libc.so.6";

    // dlfcn.h (glibc, x86-64 and aarch64).
    private const int RtldNow = 0x2;
    private const int RtldGlobal = 0x100;

    /// <summary>
    /// Sets a variable in the native environment unless it is already set. <see cref="Environment.SetEnvironmentVariable(string, string)"/>
    /// changes only .NET's copy, which native libraries such as UCX never read.
    /// </summary>
    public static void SetDefault(string name, string value)
    {
        if (GetEnv(name) == 0)
        {
            _ = SetEnv(name, value, 0);
        }
    }

    /// <summary>
    /// Loads a shared library with its symbols global: Open MPI's plugins resolve MPI symbols from the already loaded
    /// library, which fails when it is loaded with local symbols (what <see cref="NativeLibrary.Load(string)"/> does).
    /// </summary>
    public static nint LoadGlobal(string nameOrPath, out string? error)
    {
        nint handle = DlOpen(nameOrPath, RtldNow | RtldGlobal);
        error = handle == 0 ? Marshal.PtrToStringUTF8(DlError()) : null;
        return handle;
    }

    /// <summary>
    /// Ends the process at once with <paramref name="exitCode"/>: no managed shutdown, which could wait for the thread
    /// that is stuck in the MPI library.
    /// </summary>
    public static void ExitNow(int exitCode) => Exit(exitCode);

    [LibraryImport(LibC, EntryPoint = "_exit")]
    private static partial void Exit(int status);

    [LibraryImport(LibC, EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint GetEnv(string name);

    [LibraryImport(LibC, EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport(LibC, EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint DlOpen(string file, int mode);

    [LibraryImport(LibC, EntryPoint = "dlerror")]
    private static partial nint DlError();
}
