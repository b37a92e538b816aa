using System.Globalization;

namespace Distal.Communication;

/// <summary>
/// How long a rank may wait in one collective (or one receive) before the job fails: a stopped peer (SIGSTOP), a
/// hung file system or a rank stuck in a loop otherwise leaves every other rank waiting for ever. None by default;
/// <c>DISTAL_TIMEOUT=SECONDS</c> or <see cref="Spmd.CollectiveTimeout"/> (the CLI's <c>--timeout</c>) sets it.
/// </summary>
internal static class CollectiveTimeout
{
    /// <summary>The environment variable: a positive number of seconds.</summary>
    public const string Variable = "DISTAL_TIMEOUT";

    private static readonly Lazy<TimeSpan?> FromEnvironment = new(() => Parse(Environment.GetEnvironmentVariable(Variable), Variable));
    private static TimeSpan? _configured;
    private static bool _isConfigured;

    /// <summary>The timeout in force: the configured one, else DISTAL_TIMEOUT's, else none.</summary>
    /// <exception cref="DistalException">DISTAL_TIMEOUT is not a positive number of seconds (usage).</exception>
    public static TimeSpan? Current => Volatile.Read(ref _isConfigured) ? _configured : FromEnvironment.Value;

    /// <summary>Sets the timeout for this process (null: none, also ignoring DISTAL_TIMEOUT).</summary>
    public static void Configure(TimeSpan? timeout)
    {
        if (timeout is { } t && (t <= TimeSpan.Zero || t > MaximumTimeout))
        {
            throw new DistalException(FailureKind.Usage, $"the collective timeout must be between 0 and {MaximumTimeout.TotalSeconds:0} seconds, not {t.TotalSeconds.ToString(CultureInfo.InvariantCulture)}");
        }

        _configured = timeout;
        Volatile.Write(ref _isConfigured, true);
    }

    /// <summary>Forgets <see cref="Configure"/>: DISTAL_TIMEOUT applies again (for tests).</summary>
    internal static void Reset() => Volatile.Write(ref _isConfigured, false);

    /// <summary>The longest timeout accepted (about 24 days, what a <see cref="Timeout"/> wait in milliseconds can hold).</summary>
    public static TimeSpan MaximumTimeout { get; } = TimeSpan.FromMilliseconds(int.MaxValue - 1);

    /// <summary>Parses a number of seconds given by <paramref name="source"/> (an option or variable name); null or empty is none.</summary>
    /// <exception cref="DistalException">Not a positive, finite number of seconds (usage).</exception>
    public static TimeSpan? Parse(string? text, string source)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
            || !double.IsFinite(seconds) || seconds <= 0 || seconds > MaximumTimeout.TotalSeconds)
        {
            throw new DistalException(FailureKind.Usage, $"{source} must be a positive number of seconds (at most {MaximumTimeout.TotalSeconds:0}), not '{Excerpt.Of(text)}'");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>The one-line cause reported when a rank waited longer than <paramref name="timeout"/> in <paramref name="operation"/>.</summary>
    public static string Describe(string operation, TimeSpan timeout)
        => $"no answer from the other ranks after {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s in {operation} " +
           $"(a rank stopped, crashed or is stuck; the limit is --timeout / {Variable})";
}
