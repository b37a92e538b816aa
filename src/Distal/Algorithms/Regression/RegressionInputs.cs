namespace Distal.Algorithms;

/// <summary>What regression training asks of its agreed input shape.</summary>
internal static class RegressionInputs
{
    public static void Check(string algorithm, InputShape shape)
    {
        if (shape.TargetColumns < 1)
        {
            throw new DistalException(FailureKind.Input, $"{algorithm}: dependentVariables need at least one column");
        }
    }
}
