using Distal.Kernels;

namespace Distal.Tests.Kernels;

/// <summary>Every backend (and every SIMD path of the managed one) that the kernel tests run against.</summary>
public static class KernelBackendsUnderTest
{
    public static TheoryData<string> Names
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (string name in DenseKernels.CandidateNames)
            {
                data.Add(name);
            }

            return data;
        }
    }

    internal static IDenseKernels Get(string name)
    {
        IDenseKernels? kernels = DenseKernels.TryCreate(name, out string? reason);
        if (kernels is null)
        {
            Assert.Skip($"Backend '{name}' is not available here: {reason}");
        }

        return kernels;
    }
}
