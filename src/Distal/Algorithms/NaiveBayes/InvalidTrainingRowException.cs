namespace Distal.Algorithms;

/// <summary>
/// A training row that naive Bayes cannot use: a negative or non-finite count, or a label that is not an integer in
/// [0, nClasses). <see cref="Row"/> counts from the first row of the rows given to the accumulation, so whoever read
/// them from a file can name the file and line.
/// </summary>
internal sealed class InvalidTrainingRowException(long row, int column, bool inLabels, string cause)
    : DistalException(FailureKind.Input, $"row {row}: {cause}")
{
    public long Row { get; } = row;

    /// <summary>The 0-based feature column of a bad count; -1 for a bad label.</summary>
    public int Column { get; } = column;

    public bool InLabels { get; } = inLabels;

    public string Fault { get; } = cause;

    /// <summary>The same fault for rows that start <paramref name="offset"/> rows later.</summary>
    public InvalidTrainingRowException Shifted(long offset) => new(Row + offset, Column, InLabels, Fault);
}
