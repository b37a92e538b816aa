using System.Text;
using Distal.Communication;
using Distal.Data;

namespace Distal.MpiTests;

/// <summary>
/// Error agreement over MPI: a failure on one rank (its input file is missing, or any exception) becomes the same
/// <see cref="DistalException"/>, naming that rank, on every rank — and the world stays usable afterwards.
/// </summary>
internal static class AgreementChecks
{
    public static void Run(Communicator world, CheckLog log)
    {
        log.Group("missing file", () => MissingFile(world, log));
        log.Group("every rank fails", () => EveryRankFails(world, log));
        log.Group("world after errors", () => log.Check(world.Allreduce(1, ReduceOperation.Sum) == world.Size, "the world works after agreed errors"));
    }

    private static void MissingFile(Communicator world, CheckLog log)
    {
        int failing = Math.Min(2, world.Size - 1);

        // One name for the whole job, so every rank builds the same list of inputs.
        byte[] id = world.BroadcastVariable(world.Rank == 0 ? Encoding.UTF8.GetBytes(Guid.NewGuid().ToString("N")) : null, 0);
        string PathOf(int rank) => Path.Combine(Path.GetTempPath(), $"distal-mpitests-{Encoding.UTF8.GetString(id)}-{rank}.csv");
        string mine = PathOf(world.Rank);
        if (world.Rank != failing)
        {
            File.WriteAllText(mine, $"{world.Rank},1.5\n2,3\n");
        }

        try
        {
            var inputs = Enumerable.Range(0, world.Size).Select(PathOf).ToArray();
            DistalException? caught = null;
            try
            {
                _ = DataInput.Read<double>(world, inputs);
            }
            catch (DistalException e)
            {
                caught = e;
            }

            log.Check(caught is not null, "a missing file on one rank raises DistalException on every rank");
            if (caught is null)
            {
                return;
            }

            // A world of one agrees with nobody: the reader's own exception comes through without a rank.
            log.Check(caught.Rank == failing || (world.Size == 1 && caught.Rank is null), $"the exception names rank {failing} (got {caught.Rank})");
            log.Check(caught.Message.Contains(PathOf(failing), StringComparison.Ordinal), $"the message names the missing file: {caught.Message}");
            log.Check(SameOnEveryRank(world, caught.Message), "every rank has the same message");
        }
        finally
        {
            File.Delete(mine);
        }
    }

    private static void EveryRankFails(Communicator world, CheckLog log)
    {
        if (world.Size == 1)
        {
            // A world of one rethrows the step's own exception.
            log.Check(Throws<InvalidOperationException>(() => world.Collectively(() => throw new InvalidOperationException("alone"))), "one rank: the step's own exception");
            return;
        }

        DistalException? caught = null;
        try
        {
            world.Collectively(() => throw new InvalidOperationException($"failure on rank {world.Rank}"));
        }
        catch (DistalException e)
        {
            caught = e;
        }

        log.Check(caught is { Rank: 0 } && caught.Message.Contains("failure on rank 0", StringComparison.Ordinal), $"all ranks fail: rank 0 is named ({caught?.Message})");
        log.Check(caught is not null && SameOnEveryRank(world, caught.Message), "all ranks fail: same message everywhere");
    }

    private static bool Throws<TException>(Action action)
        where TException : Exception
    {
        try
        {
            action();
            return false;
        }
        catch (TException)
        {
            return true;
        }
    }

    private static bool SameOnEveryRank(Communicator world, string text)
    {
        byte[] mine = Encoding.UTF8.GetBytes(text);
        byte[] first = world.BroadcastVariable(world.Rank == 0 ? mine : null, 0);
        bool same = first.AsSpan().SequenceEqual(mine);
        return world.Allreduce(same ? 0 : 1, ReduceOperation.Sum) == 0;
    }
}
