using System.Text;

namespace Distal.Communication;

/// <summary>
/// The collective error protocol: ranks run a local step, then agree whether any of them failed. If one did,
/// every rank raises the same <see cref="DistalException"/> naming the lowest failing rank and its cause,
/// instead of the healthy ranks waiting forever in the next collective.
/// </summary>
internal static class ErrorAgreement
{
    /// <summary>Runs <paramref name="step"/> locally and agrees on its outcome across all ranks.</summary>
    public static T Collectively<T>(this Communicator communicator, Func<T> step)
    {
        T result = default!;
        Exception? error = null;
        try
        {
            result = step();
        }
        catch (Exception e)
        {
            // Out-of-memory included: it is raised by the one allocation that did not fit (an array too large for
            // this rank's share), the memory is there again once the step has unwound, and the agreement needs little.
            error = e;
        }

        communicator.Agree(error);
        return result;
    }

    /// <summary>Runs <paramref name="step"/> locally and agrees on its outcome across all ranks.</summary>
    public static void Collectively(this Communicator communicator, Action step)
        => communicator.Collectively<bool>(() =>
        {
            step();
            return true;
        });

    /// <summary>
    /// Agrees on <paramref name="localError"/>: returns normally when no rank failed; otherwise throws the
    /// lowest failing rank's exception on every rank.
    /// </summary>
    public static void Agree(this Communicator communicator, Exception? localError)
    {
        if (communicator.Size == 1)
        {
            if (localError is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(localError).Throw();
            }

            return;
        }

        int failing = communicator.Allreduce(localError is null ? int.MaxValue : communicator.Rank, ReduceOperation.Min);
        if (failing == int.MaxValue)
        {
            return;
        }

        byte[]? encoded = null;
        if (communicator.Rank == failing)
        {
            var kind = KindOf(localError!);

            // An exception agreed in a nested step keeps the rank that caused it.
            int origin = (localError as DistalException)?.Rank ?? failing;
            string cause = Describe(localError!);
            encoded = [(byte)kind, .. BitConverter.GetBytes(origin), .. Encoding.UTF8.GetBytes(cause)];
        }

        byte[] message = communicator.BroadcastVariable(encoded, failing);
        var agreedKind = (FailureKind)message[0];
        int agreedRank = BitConverter.ToInt32(message, 1);
        string agreedCause = Encoding.UTF8.GetString(message, 5, message.Length - 5);
        throw new DistalException(agreedKind, agreedRank, agreedCause, communicator.Rank == failing ? localError : null);
    }

    /// <summary>The kind an agreed <paramref name="error"/> is reported as.</summary>
    public static FailureKind KindOf(Exception error) => error switch
    {
        DistalException d => d.Kind,
        IOException or UnauthorizedAccessException or OutOfMemoryException => FailureKind.Input,
        _ => FailureKind.Internal,
    };

    /// <summary>The one-line cause of <paramref name="error"/>: a Distal cause as is; anything else with its type.</summary>
    public static string Describe(Exception error) => error switch
    {
        DistalException d => d.Cause,
        FileNotFoundException f => $"{f.FileName}: file not found",
        DirectoryNotFoundException or UnauthorizedAccessException or IOException => error.Message,
        OutOfMemoryException => $"out of memory: {error.Message}",
        ArgumentException => error.Message,
        _ => $"{error.GetType().Name}: {error.Message}",
    };
}
