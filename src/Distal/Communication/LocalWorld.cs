using System.Collections.Concurrent;

namespace Distal.Communication;

/// <summary>
/// The embedded engine: N ranks as threads of one process. Collectives meet at a barrier and exchange
/// references to each rank's buffers, so a collective costs two barrier crossings and the copies it must make.
/// When a rank fails, every other rank blocked in (or later entering) a collective raises the same
/// <see cref="DistalException"/> at once instead of waiting forever.
/// </summary>
internal sealed class LocalWorld
{
    /// <summary>How often <see cref="Run{TResult}(int, TimeSpan?, Func{LocalCommunicator, TResult})"/> looks whether the world failed while it waits for a rank to end.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly Barrier _barrier;
    private readonly object?[] _slots;
    private readonly CancellationTokenSource _failed;
    private readonly ConcurrentDictionary<(int Source, int Destination, int Tag), BlockingCollection<Array>> _mailboxes = new();
    private DistalException? _failure;

    private readonly TimeSpan? _timeout;

    /// <summary>Creates a world of <paramref name="size"/> ranks; <paramref name="timeout"/> overrides the process's collective timeout.</summary>
    public LocalWorld(int size, CancellationTokenSource? failed = null, TimeSpan? timeout = null)
    {
        _timeout = timeout;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        Size = size;
        _barrier = new Barrier(size);
        _slots = new object?[size];
        _failed = failed ?? new CancellationTokenSource();
    }

    public int Size { get; }

    internal CancellationTokenSource FailureSource => _failed;

    /// <summary>The collective timeout of this world: its own, else the process's (<see cref="CollectiveTimeout.Current"/>).</summary>
    internal TimeSpan? Timeout => _timeout ?? CollectiveTimeout.Current;

    /// <summary>Runs <paramref name="body"/> on <paramref name="size"/> ranks (threads) and returns each rank's result.</summary>
    /// <exception cref="DistalException">Any rank failed; the exception names the first rank that failed.</exception>
    public static TResult[] Run<TResult>(int size, Func<LocalCommunicator, TResult> body)
        => Run(size, null, body);

    /// <summary>Runs <paramref name="body"/> on <paramref name="size"/> ranks with a collective timeout of its own (tests).</summary>
    internal static TResult[] Run<TResult>(int size, TimeSpan? timeout, Func<LocalCommunicator, TResult> body)
    {
        var world = new LocalWorld(size, timeout: timeout);
        var results = new TResult[size];
        var errors = new Exception?[size];
        var threads = new Thread[size];
        for (int r = 0; r < size; r++)
        {
            int rank = r;
            threads[r] = new Thread(
                () =>
                {
                    try
                    {
                        results[rank] = body(new LocalCommunicator(world, rank));
                    }
                    catch (Exception e)
                    {
                        errors[rank] = e;
                        world.Fail(rank, e);
                    }
                },
                maxStackSize: 16 << 20)
            {
                Name = $"distal rank {rank}",
                IsBackground = true,
            };
        }

        foreach (var t in threads)
        {
            t.Start();
        }

        foreach (var t in threads)
        {
            // A rank stuck outside any collective (a hung file system) would keep the others here for ever: once the
            // world has failed, a rank gets the collective timeout to finish, then is left behind (its thread is a
            // background thread and does not keep the process alive).
            if (Volatile.Read(ref world._failure) is not null && world.Timeout is { } grace)
            {
                t.Join(grace);
            }
            else
            {
                while (!t.Join(PollInterval))
                {
                    if (Volatile.Read(ref world._failure) is not null && world.Timeout is { } limit)
                    {
                        t.Join(limit);
                        break;
                    }
                }
            }
        }

        if (world._failure is { } failure)
        {
            throw failure;
        }

        return results;
    }

    /// <summary>Marks the world failed by <paramref name="rank"/> and wakes every waiting rank.</summary>
    public void Fail(int rank, Exception error)
    {
        var agreed = error as DistalException is { Rank: not null } d
            ? d
            : new DistalException((error as DistalException)?.Kind ?? FailureKind.Internal, rank, Describe(error), error);
        Interlocked.CompareExchange(ref _failure, agreed, null);
        _failed.Cancel();
    }

    /// <summary>Deposits this rank's contribution, waits for all, lets <paramref name="read"/> look at every slot, waits again.</summary>
    public TResult Exchange<TResult>(int rank, object? mine, Func<object?[], TResult> read)
    {
        _slots[rank] = mine;
        Wait(rank);
        TResult result;
        try
        {
            result = read(_slots);
        }
        finally
        {
            // The second crossing keeps a fast rank from overwriting its slot before the slow ones have read it.
            Wait(rank);
        }

        return result;
    }

    /// <summary>Waits until every rank has arrived; past the collective timeout, fails the world for everyone.</summary>
    public void Wait(int rank)
    {
        TimeSpan? timeout = Timeout;
        try
        {
            if (!_barrier.SignalAndWait(timeout ?? System.Threading.Timeout.InfiniteTimeSpan, _failed.Token))
            {
                throw TimedOut(rank, "a collective", timeout!.Value);
            }
        }
        catch (OperationCanceledException)
        {
            throw Failure();
        }
    }

    public void Post(int source, int destination, int tag, Array message)
        => Mailbox(source, destination, tag).Add(message);

    public Array Take(int source, int destination, int tag)
    {
        TimeSpan? timeout = Timeout;
        try
        {
            if (Mailbox(source, destination, tag).TryTake(out var message, timeout is { } t ? (int)t.TotalMilliseconds : System.Threading.Timeout.Infinite, _failed.Token))
            {
                return message;
            }

            throw TimedOut(destination, $"a receive from rank {source}", timeout!.Value);
        }
        catch (OperationCanceledException)
        {
            throw Failure();
        }
    }

    /// <summary>Fails the world because <paramref name="rank"/> waited too long, and returns the exception it raises.</summary>
    private DistalException TimedOut(int rank, string operation, TimeSpan timeout)
    {
        var error = new DistalException(FailureKind.Communication, rank, CollectiveTimeout.Describe(operation, timeout));
        Fail(rank, error);
        return Failure();
    }

    private DistalException Failure()
    {
        var f = Volatile.Read(ref _failure) ?? new DistalException(FailureKind.Communication, "Another rank failed.");
        return new DistalException(f.Kind, f.Rank ?? -1, f.Cause, f);
    }

    private BlockingCollection<Array> Mailbox(int source, int destination, int tag)
        => _mailboxes.GetOrAdd((source, destination, tag), static _ => new BlockingCollection<Array>());

    private static string Describe(Exception e) => e is DistalException d ? d.Cause : $"{e.GetType().Name}: {e.Message}";
}
