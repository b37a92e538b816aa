using System.Globalization;

namespace Distal.Communication.Mpi;

/// <summary>
/// Detects a launcher binding that leaves cores idle: Open MPI binds each rank to one core by default when there are
/// at most two ranks, so one rank on a 16-core node computes with one thread. When a rank's affinity mask holds
/// fewer cores than its share of the node (online cores ÷ ranks on the node) and the user has not set
/// <c>DISTAL_THREADS</c>, the node's first rank prints one line on stderr saying what to launch with instead.
/// </summary>
internal static class CoreBindingNotice
{
    private const string OnlineCpus = "/sys/devices/system/cpu/online";

    public static void WriteIfBound(Communicator world, TextWriter error)
    {
        string? message = Message(
            Environment.GetEnvironmentVariable(ThreadBudget.OverrideVariable),
            Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_LOCAL_RANK"),
            Environment.ProcessorCount,
            ReadOnlineCores(),
            world.RanksOnNode);
        if (message is not null)
        {
            error.WriteLine(message);
        }
    }

    /// <summary>The notice, or null when there is nothing to say (the rules are separate from the I/O for tests).</summary>
    internal static string? Message(string? threadsOverride, string? openMpiLocalRank, int boundCores, int onlineCores, int ranksOnNode)
    {
        if (!string.IsNullOrEmpty(threadsOverride) || openMpiLocalRank != "0" || onlineCores <= 0)
        {
            return null;
        }

        int share = onlineCores / Math.Max(1, ranksOnNode);
        if (boundCores >= share)
        {
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"distal (notice): Open MPI bound each rank to {boundCores} of this node's {onlineCores} cores ({ranksOnNode} rank(s) here), so each computes with {boundCores} thread(s); launch with `mpirun --bind-to none` or `--map-by slot:PE={share}` to use {share}, or set DISTAL_THREADS to keep the binding and silence this line.");
    }

    /// <summary>Counts the cores in a Linux CPU list such as <c>0-3,8,10-11</c>; 0 when it cannot be read.</summary>
    internal static int CountCpuList(string list)
    {
        int count = 0;
        foreach (string part in list.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] bounds = part.Split('-');
            if (!int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out int first))
            {
                return 0;
            }

            int last = first;
            if (bounds.Length == 2 && !int.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out last))
            {
                return 0;
            }

            count += last - first + 1;
        }

        return count;
    }

    private static int ReadOnlineCores()
    {
        try
        {
            return File.Exists(OnlineCpus) ? CountCpuList(File.ReadAllText(OnlineCpus)) : 0;
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
