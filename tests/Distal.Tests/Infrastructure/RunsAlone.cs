namespace Distal.Tests.Infrastructure;

/// <summary>
/// Tests that count process-wide things — allocated bytes, threads, resident memory — run alone, so that what they
/// count is theirs and not a neighbouring test's.
/// </summary>
[CollectionDefinition(nameof(RunsAlone), DisableParallelization = true)]
public sealed class RunsAlone;
