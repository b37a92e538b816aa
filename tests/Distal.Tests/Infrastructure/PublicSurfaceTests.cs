using System.Reflection;

namespace Distal.Tests.Infrastructure;

/// <summary>
/// The XML documentation rule: Distal and its add-ons (Parquet, Arrow, DataFrame) build a documentation file with
/// CS1591 (a public member without XML docs) as an error, and their PublicAPI.*.txt baselines make RS0016/RS0017 (a
/// public symbol added or removed without updating the baseline) errors too, so the build that test.sh starts fails
/// on either. The tool, Distal.Cli, builds no documentation file: that is sound only while it makes nothing public.
/// </summary>
public sealed class PublicSurfaceTests
{
    [Fact]
    public void The_distal_tool_makes_nothing_public()
    {
        var cli = Assembly.Load("Distal.Cli");
        Assert.Empty(cli.GetExportedTypes());
    }

    [Theory]
    [InlineData("Distal")]
    [InlineData("Distal.Parquet")]
    [InlineData("Distal.Arrow")]
    [InlineData("Distal.DataFrame")]
    public void Every_library_ships_its_xml_documentation(string library)
    {
        string xml = Path.Combine(AppContext.BaseDirectory, library + ".xml");
        Assert.True(File.Exists(xml), $"{xml} is missing: the library no longer generates its documentation file");
        Assert.Contains("<member name=", File.ReadAllText(xml), StringComparison.Ordinal);
    }
}
