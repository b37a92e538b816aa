using System.Reflection;
using Distal.Algorithms;

namespace Distal.Tests.Harness;

/// <summary>
/// Keeps the shared checks from silently missing an algorithm: every mergeable algorithm of the library has a line
/// in <see cref="MergeCases"/>, and every test class outside the few non-algorithm areas carries the trait that
/// test.sh's forced DISTAL_SIMD/DISTAL_BLAS reruns select.
/// </summary>
public class HarnessCoverageTests
{
    /// <summary>
    /// Test areas that test no algorithm (data readers, kernels, MPI loading, the CLI contract, helpers, the user
    /// guide), and the fuzz and soak tests, which carry their own categories so that the forced SIMD/BLAS reruns do not
    /// repeat them.
    /// </summary>
    private static readonly string[] NonAlgorithmNamespaces =
    [
        "Distal.Tests.Data", "Distal.Tests.Kernels", "Distal.Tests.Mpi", "Distal.Tests.Cli", "Distal.Tests.Infrastructure",
        "Distal.Tests.Fuzz", "Distal.Tests.Soak", "Distal.Tests.Guide",
    ];

    [Fact]
    public void Every_mergeable_algorithm_is_in_the_harness()
    {
        var covered = MergeCases.All.Select(c => c.GetType().GetGenericArguments()[0]).ToHashSet();
        var mergeable = typeof(Algorithm).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsPublic: true } && IsMergeable(t))
            .ToList();
        Assert.NotEmpty(mergeable);
        foreach (var type in mergeable)
        {
            var result = ResultType(type)!;
            Assert.True(covered.Contains(result), $"{type.Name} has no line in MergeCases.All");
        }
    }

    [Fact]
    public void Every_algorithm_test_class_carries_the_algorithm_trait()
    {
        var missing = typeof(HarnessCoverageTests).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsPublic: true, IsAbstract: false } && HasTests(t))
            .Where(t => !NonAlgorithmNamespaces.Any(n => t.Namespace!.StartsWith(n, StringComparison.Ordinal)))
            .Where(t => t != typeof(HarnessCoverageTests))
            .Where(t => !t.GetCustomAttributes<TraitAttribute>().Any(a => a is { Name: "Category", Value: "Algorithm" }))
            .Select(t => t.FullName)
            .ToList();
        Assert.True(missing.Count == 0, $"test classes without [Trait(\"Category\", \"Algorithm\")]: {string.Join(", ", missing)}");
    }

    private static bool HasTests(Type type)
        => type.GetMethods().Any(m => m.GetCustomAttributes<FactAttribute>(inherit: true).Any());

    private static bool IsMergeable(Type type) => ResultType(type) is not null;

    private static Type? ResultType(Type type)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && (t.GetGenericTypeDefinition() == typeof(MergeableAlgorithm<>) || t.GetGenericTypeDefinition() == typeof(SupervisedAlgorithm<>)))
            {
                return t.GetGenericArguments()[0];
            }
        }

        return null;
    }
}
