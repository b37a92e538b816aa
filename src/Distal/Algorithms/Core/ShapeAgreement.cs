using Distal.Communication;

namespace Distal.Algorithms;

/// <summary>
/// Agrees the widths of a computation's inputs across ranks, collectively, before any partial is created — so a
/// rank without rows, or a sparse rank whose rows never touch the last column, still builds a partial of the right
/// shape, and a mismatch is one error on every rank naming the rank that differs.
/// </summary>
internal static class ShapeAgreement
{
    /// <summary>
    /// The agreed shape. Ranks with rows must show equal target widths and equal exact data widths; data widths that
    /// are only lower bounds (inferred sparse widths) take the largest; ranks without rows adopt the result.
    /// </summary>
    public static InputShape Agree(Communicator communicator, InputShape local, bool hasRows, bool dataWidthIsLowerBound, string? targetName)
    {
        if (communicator.Size == 1)
        {
            return local;
        }

        // Four ints per rank: has rows, lower bound, data width, target width.
        int[] all = communicator.AllgatherV<int>([hasRows ? 1 : 0, dataWidthIsLowerBound ? 1 : 0, local.DataColumns, local.TargetColumns], out _);
        int ranks = communicator.Size;
        int exactFrom = -1;
        int targetFrom = -1;
        int widest = 0;
        int widestTarget = 0;
        for (int r = 0; r < ranks; r++)
        {
            bool rows = all[4 * r] != 0;
            bool lowerBound = all[(4 * r) + 1] != 0;
            int data = all[(4 * r) + 2];
            int target = all[(4 * r) + 3];
            widest = Math.Max(widest, data);
            widestTarget = Math.Max(widestTarget, target);
            if (!rows)
            {
                continue;
            }

            if (!lowerBound)
            {
                if (exactFrom < 0)
                {
                    exactFrom = r;
                }
                else if (data != all[(4 * exactFrom) + 2])
                {
                    throw new DistalException(FailureKind.Input, r, $"data has {data} columns; rank {exactFrom}'s has {all[(4 * exactFrom) + 2]}");
                }
            }

            if (targetFrom < 0)
            {
                targetFrom = r;
            }
            else if (target != all[(4 * targetFrom) + 3])
            {
                throw new DistalException(FailureKind.Input, r, $"{targetName ?? "target"} has {target} columns; rank {targetFrom}'s has {all[(4 * targetFrom) + 3]}");
            }
        }

        if (exactFrom >= 0)
        {
            int exact = all[(4 * exactFrom) + 2];
            for (int r = 0; r < ranks; r++)
            {
                if (all[4 * r] != 0 && all[(4 * r) + 1] != 0 && all[(4 * r) + 2] > exact)
                {
                    throw new DistalException(FailureKind.Input, r, $"data uses column {all[(4 * r) + 2] - 1} but rank {exactFrom}'s data has {exact} columns");
                }
            }

            return new InputShape(exact, targetFrom >= 0 ? all[(4 * targetFrom) + 3] : widestTarget);
        }

        return new InputShape(widest, targetFrom >= 0 ? all[(4 * targetFrom) + 3] : widestTarget);
    }
}
