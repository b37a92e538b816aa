using System.Collections.Concurrent;
using System.Diagnostics;

namespace Distal.Communication.Mpi;

/// <summary>
/// Enforces <see cref="CollectiveTimeout"/> under MPI. A blocking MPI call cannot be interrupted and nonblocking
/// collectives would not help a rank already inside the library, so each Distal collective registers itself while
/// it runs, and one background thread ends the job (<see cref="FailFast.Terminate(int, string, int)"/>: one line,
/// MPI_Abort) when a call has waited past the timeout. Costs one dictionary insert and removal per collective,
/// and nothing when no timeout is set.
/// </summary>
internal static class CollectiveWatchdog
{
    private static readonly ConcurrentDictionary<long, Call> Calls = new();
    private static long _nextId;
    private static Thread? _thread;

    /// <summary>Registers a call of <paramref name="operation"/> on <paramref name="rank"/> (world rank) until the returned scope is disposed.</summary>
    public static Scope Watch(int rank, string operation)
    {
        if (CollectiveTimeout.Current is not { } timeout)
        {
            return default;
        }

        EnsureRunning();
        long id = Interlocked.Increment(ref _nextId);
        Calls[id] = new Call(rank, operation, timeout, Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency));
        return new Scope(id);
    }

    private static void EnsureRunning()
    {
        if (Volatile.Read(ref _thread) is not null)
        {
            return;
        }

        var thread = new Thread(Patrol) { IsBackground = true, Name = "distal collective watchdog" };
        if (Interlocked.CompareExchange(ref _thread, thread, null) is null)
        {
            thread.Start();
        }
    }

    private static void Patrol()
    {
        while (true)
        {
            // A quarter second of resolution: timeouts are seconds or more, and the check costs microseconds.
            Thread.Sleep(250);
            long now = Stopwatch.GetTimestamp();
            foreach (var (_, call) in Calls)
            {
                if (now > call.Deadline)
                {
                    FailFast.Terminate(call.Rank, CollectiveTimeout.Describe(call.Operation, call.Timeout), 1);
                }
            }
        }
    }

    private readonly record struct Call(int Rank, string Operation, TimeSpan Timeout, long Deadline);

    /// <summary>A registered call; disposing it (when the call returns or throws) unregisters it.</summary>
    public readonly struct Scope(long id) : IDisposable
    {
        public void Dispose()
        {
            if (id != 0)
            {
                Calls.TryRemove(id, out _);
            }
        }
    }
}
