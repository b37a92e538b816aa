namespace Distal.Algorithms;

/// <summary>
/// A training row that naive Bayes cannot use: a negative or non-finite count, or a label that is not an integer in
/// [0, nClasses). <see cref="Row"/> counts from the first row of the rows given to one accumulation — a block of the
/// caller's rows when the engine splits them over threads, so the message leaves it out; a caller that accumulates
/// a whole file's share in one call (the CLI's check) uses it to name the file and line.
/// </summary>
internal sealed class InvalidTrainingRowException(long row, int column, bool inLabels, string cause)
    : DistalException(FailureKind.Input, (inLabels ? "labels: " : "data: ") + cause)
{
    public long Row { get; } = row;

    /// <summary>The 0-based feature column of a bad count; -1 for a bad label.</summary>
    public int Column { get; } = column;

    public bool InLabels { get; } = inLabels;

    public string Fault { get; } = cause;
}
