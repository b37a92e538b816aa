using Distal.Kernels;

namespace Distal.Tests.Kernels;

public class BackendSelectionTests
{
    [Fact]
    public void Managed_backend_can_always_be_chosen()
    {
        Assert.StartsWith("managed-", DenseKernels.Choose("managed").Name);
        Assert.StartsWith("managed-", DenseKernels.Choose(" Managed ").Name);
        Assert.StartsWith("managed-", DenseKernels.Choose(null, library: null, error: "absent").Name);
    }

    [Fact]
    public void Unknown_backend_is_a_clear_error()
    {
        var error = Assert.Throws<DistalException>(() => DenseKernels.Choose("cublas"));
        Assert.Contains("DISTAL_BLAS", error.Message);
    }

    [Fact]
    public void Forcing_openblas_where_it_is_missing_is_a_clear_error()
    {
        var error = Assert.Throws<DistalException>(() => DenseKernels.Choose("openblas", library: null, error: "libopenblas.so.0 not found"));
        Assert.Contains("DISTAL_BLAS=openblas", error.Message);
        Assert.Contains("libopenblas.so.0 not found", error.Message);
    }

    [Fact]
    public void OpenBlas_factorizations_are_the_default_when_it_loads()
    {
        OpenBlasLibrary? library = OpenBlasLibrary.TryGet(out string? reason);
        if (library is null)
        {
            Assert.Skip($"OpenBLAS is not installed here: {reason}");
        }

        Assert.Equal(DenseKernels.Managed.Name + "+openblas", DenseKernels.Choose(null, library, null).Name);
        Assert.Equal("openblas", DenseKernels.Choose("openblas").Name);
        Assert.Contains("OpenBLAS", library.Config, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Simd_width_override_is_validated()
    {
        Assert.Equal(SimdWidth.Scalar, SimdWidths.Choose("scalar"));
        Assert.Equal(SimdWidth.Bits128, SimdWidths.Choose("128"));
        var error = Assert.Throws<DistalException>(() => SimdWidths.Choose("1024"));
        Assert.Contains("DISTAL_SIMD", error.Message);
        Assert.Contains(SimdWidths.Default, SimdWidths.Supported);
    }

    [Fact]
    public void Current_backend_is_one_of_the_candidates()
    {
        Assert.NotNull(DenseKernels.Current);
        Assert.False(string.IsNullOrEmpty(DenseKernels.Current.Name));
    }
}
