namespace Distal.Cli;

/// <summary>A failure whose one-line message is already on stderr; <see cref="CommandRunner.Guard"/> only returns its exit code.</summary>
internal sealed class ReportedFailureException(int exitCode) : Exception($"failed with exit code {exitCode} (already reported)")
{
    public int ExitCode { get; } = exitCode;
}
