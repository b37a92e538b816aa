using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Distal.Tests.Cli;

/// <summary>Runs the built `distal` program as a child process, as a user would.</summary>
public static class DistalProcess
{
    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] arguments)
        => RunWith(new Dictionary<string, string>(), arguments);

    /// <summary>Runs with <paramref name="environment"/> added to the child's environment.</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunWith(IReadOnlyDictionary<string, string> environment, params string[] arguments)
        => RunUnder([], environment, null, arguments);

    /// <summary>Runs with <paramref name="input"/> as the child's standard input (a pipe).</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunWithInput(string input, params string[] arguments)
        => RunUnder([], new Dictionary<string, string>(), input, arguments);

    /// <summary>Runs `distal` under a wrapper command (<paramref name="wrapper"/>, e.g. GNU time with its options), with <paramref name="environment"/> added.</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunUnder(IReadOnlyList<string> wrapper, IReadOnlyDictionary<string, string> environment, params string[] arguments)
        => RunUnder(wrapper, environment, null, arguments);

    private static (int ExitCode, string Stdout, string Stderr) RunUnder(IReadOnlyList<string> wrapper, IReadOnlyDictionary<string, string> environment, string? input, string[] arguments)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "Distal.Cli.dll");
        var start = new ProcessStartInfo(wrapper.Count > 0 ? wrapper[0] : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        foreach (string w in wrapper.Skip(1).Concat(wrapper.Count > 0 ? ["dotnet"] : []))
        {
            start.ArgumentList.Add(w);
        }

        start.ArgumentList.Add(dll);
        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        // A child must not inherit an MPI launcher's environment from the test runner.
        foreach (string variable in new[] { "OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMI_RANK", "HYDI_CONTROL_FD", "MPI_LOCALNRANKS" })
        {
            start.Environment.Remove(variable);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        if (input is not null)
        {
            // Written on its own task: a large input would otherwise fill the pipe before the child reads it.
            _ = Task.Run(() =>
            {
                try
                {
                    process.StandardInput.Write(input);
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                    // The child stopped reading (it failed); its exit code and stderr say why.
                }
            });
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"distal {string.Join(' ', arguments)} did not finish within 60 s");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    public static JsonObject RunJson(params string[] arguments)
    {
        var (code, stdout, stderr) = Run(arguments);
        Assert.True(code == 0, $"exit {code}: {stderr}");
        return JsonNode.Parse(stdout)!.AsObject();
    }

    public static double[] Flatten(JsonNode? node)
        => node!.AsArray().SelectMany(v => v is JsonArray row ? row.Select(x => x!.GetValue<double>()) : [v!.GetValue<double>()]).ToArray();
}
