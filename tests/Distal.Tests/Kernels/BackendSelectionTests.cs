using Distal.Kernels;

namespace Distal.Tests.Kernels;

public class BackendSelectionTests
{
    [Fact]
    public void Managed_backend_can_always_be_chosen()
    {
        Assert.StartsWith("managed", DenseKernels.Choose("managed").Name);
        Assert.StartsWith("managed", DenseKernels.Choose(" Managed ").Name);
    }

    [Fact]
    public void Unknown_backend_is_a_clear_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DenseKernels.Choose("cublas"));
        Assert.Contains("DISTAL_BLAS", error.Message);
    }

    [Fact]
    public void Current_backend_is_one_of_the_candidates()
    {
        Assert.NotNull(DenseKernels.Current);
        Assert.False(string.IsNullOrEmpty(DenseKernels.Current.Name));
    }
}
