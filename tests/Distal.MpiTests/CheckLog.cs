using Distal.Communication;

namespace Distal.MpiTests;

/// <summary>
/// Counts this rank's checks. Failures are described on stderr (prefixed with the rank); stdout carries only rank 0's
/// final tally, agreed over all ranks.
/// </summary>
internal sealed class CheckLog(int rank)
{
    /// <summary>DISTAL_MPITESTS_TRACE=1 names every group on stderr as it starts (to find a hang).</summary>
    private static readonly bool Trace = Environment.GetEnvironmentVariable("DISTAL_MPITESTS_TRACE") == "1";

    public long Passed { get; private set; }

    public long Failed { get; private set; }

    public void Check(bool condition, string what)
    {
        if (condition)
        {
            Passed++;
        }
        else
        {
            Failed++;
            Console.Error.WriteLine($"rank {rank}: FAILED {what}");
        }
    }

    /// <summary>Runs a group of checks; an unexpected exception counts as one failure and the program goes on.</summary>
    public void Group(string name, Action body)
    {
        if (Trace)
        {
            Console.Error.WriteLine($"rank {rank}: {name}");
        }

        try
        {
            body();
        }
        catch (Exception e)
        {
            Check(false, $"{name}: unexpected {e.GetType().Name}: {e.Message}" + (Trace ? e.StackTrace : ""));
        }
    }

    public static bool SameBits(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(a[i]) != BitConverter.DoubleToInt64Bits(b[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Agrees the counts over all ranks; rank 0 prints the tally. Returns the exit code.</summary>
    public int Finish(Communicator world)
    {
        Span<long> counts = [Passed, Failed];
        world.Allreduce(counts, ReduceOperation.Sum);
        if (world.Rank == 0)
        {
            Console.Out.WriteLine($"{counts[0]} passed, {counts[1]} failed");
        }

        return counts[1] == 0 ? 0 : 1;
    }
}
