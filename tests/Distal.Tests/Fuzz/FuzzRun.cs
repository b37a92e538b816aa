using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Distal.Tests.Fuzz;

/// <summary>
/// Runs a reader over generated inputs: input i of reader R is generated from its own random stream, seeded by
/// (DISTAL_FUZZ_SEED, R, i), so any failing input is rebuilt alone with DISTAL_FUZZ_FIRST=i DISTAL_FUZZ_ITERATIONS=1.
/// Every input must either read to the oracle's values or fail with a one-line <see cref="DistalException"/>;
/// another exception type, a wrong number or an input that takes longer than the time limit is a failure.
/// </summary>
/// <remarks>
/// Quick mode (the default, in CI) runs a few hundred inputs per reader; DISTAL_FUZZ_ITERATIONS sets the count per
/// reader for the long mode (docs/fuzzing.md). Inputs are written to /dev/shm when it exists: the readers take
/// paths, and a file per input on tmpfs costs microseconds.
/// </remarks>
internal sealed class FuzzRun
{
    /// <summary>Longest time one input may take; a reader that loops or waits forever is caught here.</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(ReadNumber("DISTAL_FUZZ_TIME_LIMIT", 20));

    private readonly string _reader;
    private readonly string _extension;
    private readonly List<string> _failures = [];
    private readonly Dictionary<string, long> _outcomes = [];

    /// <param name="reader">The reader's name, part of every input's seed.</param>
    /// <param name="extension">The extension of the input files (the readers choose the format by it).</param>
    public FuzzRun(string reader, string extension)
    {
        _reader = reader;
        _extension = extension;
    }

    /// <summary>Outcome counts for the summary (for example "read", "rejected: .npy header is malformed").</summary>
    public IReadOnlyDictionary<string, long> Outcomes => _outcomes;

    /// <summary>Records how an input ended, for the summary the long mode prints.</summary>
    private void Count(string outcome)
    {
        lock (_outcomes)
        {
            _outcomes[outcome] = _outcomes.GetValueOrDefault(outcome) + 1;
        }
    }

    /// <summary>
    /// Generates and checks <paramref name="quickIterations"/> inputs (or DISTAL_FUZZ_ITERATIONS) and returns the
    /// summary; throws listing the failures. <paramref name="check"/> gets the input's random stream and a file path
    /// to write the input to, and returns how the input ended (counted for the summary).
    /// </summary>
    public string Run(int quickIterations, Func<Random, string, string> check)
        => Run(ReadNumber("DISTAL_FUZZ_FIRST", 0), ReadNumber("DISTAL_FUZZ_ITERATIONS", quickIterations), ReadNumber("DISTAL_FUZZ_SEED", DefaultSeed), check);

    /// <summary>The seed of CI's quick mode and of the documented long run.</summary>
    public const long DefaultSeed = 20261125;

    /// <summary>Checks inputs [<paramref name="first"/>, <paramref name="first"/> + <paramref name="iterations"/>) of <paramref name="seed"/>.</summary>
    public string Run(long first, long iterations, long seed, Func<Random, string, string> check)
    {
        // A directory per run: the replayed findings and the quick run of one reader may run at the same time.
        string directory = Directory.Exists("/dev/shm")
            ? Directory.CreateDirectory(Path.Combine("/dev/shm", $"distal-fuzz-{_reader}-{Guid.NewGuid():N}")).FullName
            : Directory.CreateTempSubdirectory("distal-fuzz-").FullName;
        var clock = Stopwatch.StartNew();
        try
        {
            for (long i = first; i < first + iterations && _failures.Count < 20; i++)
            {
                var random = new Random(InputSeed(seed, _reader, i));
                string path = Path.Combine(directory, $"input{i % 4}{_extension}");
                var task = Task.Run(() => Count(check(random, path)));
                string? failure = null;
                try
                {
                    if (!task.Wait(TimeLimit))
                    {
                        failure = $"took longer than {TimeLimit.TotalSeconds} s (a hang?)";
                    }
                }
                catch (AggregateException e)
                {
                    failure = e.InnerException!.ToString();
                }

                if (failure is not null)
                {
                    string kept = KeepInput(path, seed, i);
                    _failures.Add($"{_reader} input {i} (DISTAL_FUZZ_SEED={seed} DISTAL_FUZZ_FIRST={i} DISTAL_FUZZ_ITERATIONS=1; kept as {kept}): {failure}");
                    if (!task.IsCompleted)
                    {
                        break;
                    }
                }
            }
        }
        finally
        {
            TryDelete(directory);
        }

        var summary = new StringBuilder();
        summary.Append(CultureInfo.InvariantCulture, $"{_reader}: {iterations} inputs from {first} (seed {seed}) in {clock.Elapsed.TotalSeconds:F1} s; ");
        summary.AppendJoin("; ", _outcomes.OrderByDescending(o => o.Value).Take(12).Select(o => $"{o.Key} {o.Value}"));
        if (_failures.Count > 0)
        {
            Assert.Fail($"{_failures.Count} fuzz failures:\n{string.Join("\n", _failures)}\n{summary}");
        }

        return summary.ToString();
    }

    /// <summary>A failure for the oracle's verdict, with the input described.</summary>
    public static Exception Wrong(string what) => new FuzzFailure(what);

    private static int InputSeed(long seed, string reader, long index)
    {
        // A stable hash (string.GetHashCode is randomized per process).
        ulong h = (ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)index * 0xC2B2AE3D27D4EB4FUL;
        foreach (char c in reader)
        {
            h = (h ^ c) * 0x100000001B3UL;
        }

        h ^= h >> 29;
        h *= 0xBF58476D1CE4E5B9UL;
        h ^= h >> 32;
        return (int)(h & 0x7FFFFFFF);
    }

    private static string KeepInput(string path, long seed, long index)
    {
        if (!File.Exists(path))
        {
            return "(no file)";
        }

        string kept = Path.Combine(Path.GetTempPath(), $"distal-fuzz-failure-{seed}-{index}{Path.GetExtension(path)}");
        File.Copy(path, kept, overwrite: true);
        return kept;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A hung reader may still hold a file open; the directory is in temp space.
        }
    }

    private static long ReadNumber(string name, long fallback)
        => long.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out long value) ? value : fallback;
}

/// <summary>The oracle disagreed with the reader.</summary>
internal sealed class FuzzFailure(string message) : Exception(message);
