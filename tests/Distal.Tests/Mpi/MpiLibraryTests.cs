using Distal.Communication.Mpi;

namespace Distal.Tests.Mpi;

/// <summary>
/// Loading and classifying the installed MPI libraries (no MPI initialization: MPI can start only once per process,
/// and the collectives are tested by tests/Distal.MpiTests under real launchers).
/// </summary>
/// <remarks>
/// Loading MPICH brings in UCX, whose SIGSEGV handler turns .NET's NullReferenceException (raised through SIGSEGV)
/// anywhere else in the process into a crash; test.sh therefore runs the tests that load a library
/// (trait <see cref="LoadsMpiLibrary"/>) in a process of their own.
/// </remarks>
public class MpiLibraryTests
{
    public const string LoadsMpiLibrary = "LoadsMpiLibrary";

    private const string DebianMpich = "/usr/lib/x86_64-linux-gnu/libmpich.so.12";
    private const string DebianOpenMpi = "/usr/lib/x86_64-linux-gnu/libmpi.so.40";

    [Fact]
    public void Probe_order_puts_versioned_names_before_unversioned_ones()
    {
        Assert.Equal("libmpich.so.12", MpiLibrary.MpichNames[0]);
        Assert.Equal("libmpi.so.40", MpiLibrary.OpenMpiNames[0]);
        Assert.Equal("libmpi.so", MpiLibrary.MpichNames[^1]);
        Assert.Equal("libmpi.so", MpiLibrary.OpenMpiNames[^1]);
    }

    [Fact]
    public void A_missing_library_path_fails_with_the_path_and_the_remedy()
    {
        var error = Assert.Throws<DistalException>(() => MpiLibrary.Load(null, "/nonexistent/libmpi.so"));
        Assert.Equal(FailureKind.Communication, error.Kind);
        Assert.Contains("/nonexistent/libmpi.so", error.Message, StringComparison.Ordinal);
        Assert.Contains("DISTAL_MPI_LIBRARY", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Process", LoadsMpiLibrary)]
    public void Mpich_is_classified_as_mpich_abi_and_reports_its_version()
    {
        SkipUnless(DebianMpich);
        var library = MpiLibrary.Load(MpiFlavour.MpichAbi, null);
        Assert.Equal(MpiFlavour.MpichAbi, library.Flavour);
        Assert.StartsWith("MPICH", library.Version(), StringComparison.Ordinal);
        Assert.Same(MpiHandles.Mpich, library.Handles);
    }

    [Fact]
    [Trait("Process", LoadsMpiLibrary)]
    public void Open_mpi_is_classified_and_its_handles_are_distinct_exported_objects()
    {
        SkipUnless(DebianOpenMpi);
        var library = MpiLibrary.Load(MpiFlavour.OpenMpi, null);
        Assert.Equal(MpiFlavour.OpenMpi, library.Flavour);
        Assert.Contains("Open MPI", library.Version(), StringComparison.Ordinal);
        var h = library.Handles;
        nint[] objects = [h.CommWorld, h.Double, h.Float, h.Int32, h.Int64, h.UInt8, h.Byte, h.Sum, h.Min, h.Max, h.ErrorsReturn, h.InfoNull];
        Assert.All(objects, o => Assert.NotEqual(0, o));
        Assert.Equal(objects.Length, objects.Distinct().Count());
        Assert.Equal(1, h.InPlace);
        Assert.Equal(0, h.StatusIgnore);
    }

    [Fact]
    [Trait("Process", LoadsMpiLibrary)]
    public void A_library_of_the_other_flavour_is_refused_by_name()
    {
        SkipUnless(DebianMpich);
        var error = Assert.Throws<DistalException>(() => MpiLibrary.Load(MpiFlavour.OpenMpi, DebianMpich));
        Assert.Contains("is MPICH-ABI, not Open MPI", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mpich_handles_are_the_header_values()
    {
        // /usr/include/x86_64-linux-gnu/mpich/mpi.h (MPICH 4.0.2).
        var h = MpiHandles.Mpich;
        Assert.Equal(0x44000000, h.CommWorld);
        Assert.Equal(0x4c00080b, h.Double);
        Assert.Equal(0x4c00040a, h.Float);
        Assert.Equal(0x4c000405, h.Int32);
        Assert.Equal(0x4c00083a, h.Int64);
        Assert.Equal(0x4c00013b, h.UInt8);
        Assert.Equal(0x58000003, h.Sum);
        Assert.Equal(-1, h.InPlace);
        Assert.Equal(1, h.CommTypeShared);
    }

    [Fact]
    public void Reduction_types_cover_the_communicator_element_types_only()
    {
        var h = MpiHandles.Mpich;
        Assert.Equal(h.Double, h.TypeOf<double>());
        Assert.Equal(h.Float, h.TypeOf<float>());
        Assert.Equal(h.Int32, h.TypeOf<int>());
        Assert.Equal(h.Int64, h.TypeOf<long>());
        Assert.Equal(h.UInt8, h.TypeOf<byte>());
        Assert.Throws<NotSupportedException>(() => h.TypeOf<short>());
    }

    private static void SkipUnless(string path)
    {
        if (!File.Exists(path))
        {
            Assert.Skip($"{path} is not installed (apt-get install mpich openmpi-bin)");
        }
    }
}
