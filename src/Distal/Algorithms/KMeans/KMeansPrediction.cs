namespace Distal.Algorithms;

/// <summary>Clusters of a chunk of rows under a trained <see cref="KMeansModel"/>.</summary>
public sealed class KMeansPrediction
{
    internal KMeansPrediction(int[] assignments, double objectiveFunction)
    {
        Assignments = assignments;
        ObjectiveFunction = objectiveFunction;
    }

    /// <summary>The 0-based nearest centroid of each row, in row order (ties go to the lower index).</summary>
    public int[] Assignments { get; }

    /// <summary>Σ of the squared distances of the rows to their nearest centroid; chunks' values add up.</summary>
    public double ObjectiveFunction { get; }
}
