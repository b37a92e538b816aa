using System.Text.RegularExpressions;

namespace Distal.Tests.Guide;

/// <summary>One fenced block of a guide page: its info string ("sh", "csharp program", ...), first line and text.</summary>
public sealed record GuideBlock(string Info, int Line, string Text)
{
    /// <summary>The expected output shown right after this block (a ```text block), if any.</summary>
    public GuideBlock? Output { get; init; }

    /// <summary>For ```csharp blocks: the id Distal.GuideSnippets runs it by, "&lt;page&gt;#&lt;n&gt;".</summary>
    public string? SnippetId { get; init; }
}

/// <summary>
/// A page of the user guide (docs/guide/*.md) split into its fenced blocks. The info string says who runs a block:
/// <c>sh</c> (GuideTests, in the page's directory), <c>sh slurm</c> (GuideTests, with srun played by MPICH's
/// mpiexec), <c>csharp</c> (compiled by tests/Distal.GuideSnippets, run by GuideTests), <c>sh package</c> and
/// <c>csharp program</c> (scripts/check-packages.sh, which has the package feed); <c>text</c> right after a block
/// that runs is its expected output.
/// </summary>
public sealed partial class GuidePage
{
    /// <summary>Every info string a guide block may carry; anything else (say ```bash) would escape the tests.</summary>
    public static readonly IReadOnlySet<string> KnownInfo = new HashSet<string>(StringComparer.Ordinal)
    {
        "sh", "sh slurm", "sh package", "csharp", "csharp program", "text", "json", "csv",
    };

    private GuidePage(string path, IReadOnlyList<GuideBlock> blocks)
    {
        Path = path;
        Blocks = blocks;
    }

    public string Path { get; }

    public string Name => System.IO.Path.GetFileNameWithoutExtension(Path);

    public IReadOnlyList<GuideBlock> Blocks { get; }

    /// <summary>The guide's folder, found above the test binaries (the repository root holds Distal.slnx).</summary>
    public static string GuideDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "Distal.slnx")))
                {
                    return System.IO.Path.Combine(dir.FullName, "docs", "guide");
                }
            }

            throw new DirectoryNotFoundException("Distal.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    public static IReadOnlyList<GuidePage> All()
        => Directory.GetFiles(GuideDirectory, "*.md").Order(StringComparer.Ordinal).Select(Load).ToList();

    public static GuidePage Load(string path)
    {
        string name = System.IO.Path.GetFileNameWithoutExtension(path);
        string[] lines = File.ReadAllLines(path);
        var blocks = new List<GuideBlock>();
        int snippets = 0;
        int previousEnd = -1;
        for (int i = 0; i < lines.Length; i++)
        {
            var fence = Fence().Match(lines[i]);
            if (!fence.Success)
            {
                continue;
            }

            string info = Regex.Replace(fence.Groups[1].Value.Trim(), @"\s+", " ");
            int start = i;
            var body = new List<string>();
            for (i++; i < lines.Length && !lines[i].StartsWith("```", StringComparison.Ordinal); i++)
            {
                body.Add(lines[i]);
            }

            var block = new GuideBlock(info, start + 1, string.Join('\n', body) + "\n")
            {
                SnippetId = info == "csharp" ? $"{name}#{++snippets}" : null,
            };

            // A ```text block separated from the block before it by blank lines only is that block's output.
            bool adjacent = previousEnd >= 0 && lines[(previousEnd + 1)..start].All(string.IsNullOrWhiteSpace);
            if (info == "text" && adjacent && blocks.Count > 0 && Runs(blocks[^1]))
            {
                blocks[^1] = blocks[^1] with { Output = block };
            }

            blocks.Add(block);
            previousEnd = i;
        }

        return new GuidePage(path, blocks);
    }

    /// <summary>Whether GuideTests runs this block (the others are run by check-packages.sh or only shown).</summary>
    public static bool Runs(GuideBlock block) => block.Info is "sh" or "sh slurm" or "csharp";

    [GeneratedRegex(@"^```(.*)$")]
    private static partial Regex Fence();
}
