using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Distal.Tests.Guide;

/// <summary>
/// The user guide cannot rot: every command and C# block of docs/guide runs here, in page order, in a fresh directory
/// holding what the getting-started page made (its sample data), with `distal` the built CLI; each must succeed and
/// print what the page shows after it. (```sh package and ```csharp program blocks need the package feed: those run
/// in scripts/check-packages.sh.)
/// </summary>
public sealed class GuideTests
{
    private const string StartPage = "getting-started";

    private static readonly Lazy<string> SampleDirectory = new(RunStartPage);

    public static TheoryData<string> Pages()
    {
        var pages = new TheoryData<string>();
        foreach (var page in GuidePage.All())
        {
            pages.Add(page.Name);
        }

        return pages;
    }

    [Fact]
    public void Every_block_is_run_by_a_test_or_only_shows_text()
    {
        var pages = GuidePage.All();
        Assert.Contains(pages, p => p.Name == StartPage);
        foreach (var page in pages)
        {
            foreach (var block in page.Blocks)
            {
                Assert.True(GuidePage.KnownInfo.Contains(block.Info),
                    $"{page.Name}.md:{block.Line}: ```{block.Info} is not one of: {string.Join(", ", GuidePage.KnownInfo)}");
            }
        }

        // The package steps of getting started are what check-packages.sh runs; without them it would test nothing.
        var start = pages.Single(p => p.Name == StartPage);
        Assert.Contains(start.Blocks, b => b.Info == "sh package");
        Assert.Single(start.Blocks, b => b.Info == "csharp program");

        // The install steps name the packages' version; a version bump must update them.
        string root = Path.GetFullPath(Path.Combine(GuidePage.GuideDirectory, "..", ".."));
        string version = Regex.Match(File.ReadAllText(Path.Combine(root, "Directory.Build.props")), "<Version>(.+)</Version>").Groups[1].Value;
        foreach (var block in start.Blocks.Where(b => b.Info == "sh package"))
        {
            foreach (Match named in Regex.Matches(block.Text, @"--version (\S+)"))
            {
                Assert.True(named.Groups[1].Value == version, $"getting-started.md:{block.Line} installs version {named.Groups[1].Value}; the packages are {version}");
            }
        }
    }

    [Fact]
    public void Every_link_of_the_guide_leads_somewhere()
    {
        foreach (string path in Directory.GetFiles(GuidePage.GuideDirectory, "*.md"))
        {
            string text = File.ReadAllText(path);
            foreach (Match link in Regex.Matches(text, @"\]\((?<target>[^)\s]+)\)"))
            {
                string target = link.Groups["target"].Value;
                if (target.StartsWith("http", StringComparison.Ordinal))
                {
                    continue;
                }

                string[] parts = target.Split('#', 2);
                string file = parts[0].Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, parts[0]));
                Assert.True(File.Exists(file) || Directory.Exists(file), $"{Path.GetFileName(path)}: the link {target} leads to no file");
                if (parts.Length == 2)
                {
                    var anchors = Regex.Matches(File.ReadAllText(file), @"(?m)^#+ (?<title>.+)$").Select(m => Anchor(m.Groups["title"].Value));
                    Assert.True(anchors.Contains(parts[1]), $"{Path.GetFileName(path)}: the link {target} names no heading of {Path.GetFileName(file)}");
                }
            }
        }
    }

    [Fact]
    public void Expected_output_matches_to_the_digits_shown()
    {
        Assert.Null(ExpectedOutput.Mismatch("\"mean\": [-1.4733, 0.868]\n...\nk = 3", "{\n  \"mean\": [-1.47331682,0.8680138600000014]\n  x\nk = 3\n"));
        Assert.NotNull(ExpectedOutput.Mismatch("\"mean\": [-1.4734]", "\"mean\": [-1.47331682]"));
        Assert.NotNull(ExpectedOutput.Mismatch("k = 3\nk = 4", "k = 4\nk = 3"));
        Assert.Null(ExpectedOutput.Mismatch("distal: rank 1: ...", "distal: rank 1: bad.csv:3:2: not a number"));
        Assert.NotNull(ExpectedOutput.Mismatch("nIterations: 5", "nIterations: 6"));
        Assert.NotNull(ExpectedOutput.Mismatch("x: 1, 2", "x: 1, 2, 3"));
        Assert.Null(ExpectedOutput.Mismatch("1.5e-3", "0.00149"));
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_command_and_snippet_of_the_page_runs(string name)
    {
        if (name == StartPage)
        {
            _ = SampleDirectory.Value;
            return;
        }

        string directory = Directory.CreateTempSubdirectory($"distal-guide-{name}-").FullName;
        try
        {
            foreach (string file in Directory.GetFiles(SampleDirectory.Value))
            {
                File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
            }

            RunPage(GuidePage.Load(Path.Combine(GuidePage.GuideDirectory, name + ".md")), directory);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens.</summary>
    private static string Anchor(string title)
        => Regex.Replace(title.Trim().ToLowerInvariant(), @"[^\p{L}\p{N} _-]", "").Replace(' ', '-');

    private static string RunStartPage()
    {
        string directory = Directory.CreateTempSubdirectory("distal-guide-start-").FullName;
        RunPage(GuidePage.Load(Path.Combine(GuidePage.GuideDirectory, StartPage + ".md")), directory);
        return directory;
    }

    private static void RunPage(GuidePage page, string directory)
    {
        string tools = Directory.CreateTempSubdirectory("distal-guide-tools-").FullName;
        try
        {
            WriteTools(tools);
            foreach (var block in page.Blocks.Where(GuidePage.Runs))
            {
                var (code, output) = Run(block, directory, tools);
                string where = $"{page.Name}.md:{block.Line} (```{block.Info})";
                Assert.True(code == 0, $"{where} exited with {code}:\n{block.Text}\n--- output ---\n{output}");
                if (block.Output is { } shown && ExpectedOutput.Mismatch(shown.Text, output) is { } why)
                {
                    Assert.Fail($"{where}: {why}\n--- shown at line {shown.Line} ---\n{shown.Text}--- output ---\n{output}");
                }
            }
        }
        finally
        {
            Directory.Delete(tools, recursive: true);
        }
    }

    /// <summary>`distal` as the built CLI, and for ```sh slurm blocks an `srun` that is MPICH's mpiexec.</summary>
    private static void WriteTools(string tools)
    {
        string cli = Path.Combine(AppContext.BaseDirectory, "Distal.Cli.dll");
        WriteScript(Path.Combine(tools, "distal"), $"#!/bin/sh\nexec dotnet \"{cli}\" \"$@\"\n");
        // No Slurm here: srun's own options are dropped and its tasks become MPICH ranks (SLURM_NTASKS of them).
        WriteScript(Path.Combine(tools, "srun"),
            "#!/bin/sh\nwhile [ \"${1#--}\" != \"$1\" ]; do shift; done\nexec mpiexec.mpich -n \"${SLURM_NTASKS:-2}\" \"$@\"\n");
    }

    private static void WriteScript(string path, string text)
    {
        File.WriteAllText(path, text);
        // The guide's commands are bash and need Linux (MPI, awk) anyway; only there is the mode needed.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static (int Code, string Output) Run(GuideBlock block, string directory, string tools)
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        string script = block.Info switch
        {
            "csharp" => $"dotnet \"{Path.Combine(AppContext.BaseDirectory, "Distal.GuideSnippets.dll")}\" '{block.SnippetId}'\n",
            "sh slurm" => "cat > job.sh <<'DISTAL_GUIDE_JOB'\n" + block.Text + "DISTAL_GUIDE_JOB\nbash job.sh\n",
            _ => block.Text,
        };
        start.ArgumentList.Add("-c");
        // One stream, so the output reads as a terminal would show it; the first failing command fails the block.
        start.ArgumentList.Add("exec 2>&1\nset -eo pipefail\n" + script);
        start.Environment["PATH"] = tools + ":" + Environment.GetEnvironmentVariable("PATH");
        start.Environment["TERM"] = "dumb";
        // Open MPI refuses to run as root without these (CI runs as root; the cluster page says so).
        start.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        start.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        start.Environment["SLURM_NTASKS"] = "2";
        start.Environment["SLURM_CPUS_PER_TASK"] = "1";
        foreach (string variable in new[] { "OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMI_RANK", "HYDI_CONTROL_FD", "MPI_LOCALNRANKS" })
        {
            start.Environment.Remove(variable);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(180_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the block at line {block.Line} did not finish within 180 s:\n{block.Text}");
        }

        return (process.ExitCode, output.Result);
    }
}
