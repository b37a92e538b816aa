namespace Distal;

/// <summary>What kind of failure a <see cref="DistalException"/> reports.</summary>
public enum FailureKind
{
    /// <summary>A defect or an unexpected condition inside Distal or the user's code.</summary>
    Internal = 0,

    /// <summary>Bad input: a missing or unreadable file, a malformed row, a wrong column count.</summary>
    Input = 1,

    /// <summary>A bad parameter or call (a negative count, more clusters than rows, an unknown method).</summary>
    Usage = 2,

    /// <summary>The data make the computation impossible (a singular system, NaN where none is allowed).</summary>
    Numerical = 3,

    /// <summary>The communication layer failed (MPI error, a rank that vanished).</summary>
    Communication = 4,
}

/// <summary>
/// The exception every rank raises when a computation fails. In a distributed run the same exception,
/// naming the rank that failed first and its cause, is raised on every rank.
/// </summary>
public class DistalException : Exception
{
    /// <summary>Creates an exception of the given kind.</summary>
    public DistalException(FailureKind kind, string message)
        : base(message)
    {
        Kind = kind;
    }

    /// <summary>Creates an exception of the given kind caused by <paramref name="innerException"/>.</summary>
    public DistalException(FailureKind kind, string message, Exception? innerException)
        : base(message, innerException)
    {
        Kind = kind;
    }

    /// <summary>Creates an exception agreed across ranks: <paramref name="rank"/> failed with <paramref name="message"/>.</summary>
    public DistalException(FailureKind kind, int rank, string message)
        : this(kind, rank, message, null)
    {
    }

    /// <summary>Creates an exception agreed across ranks, keeping the local cause on the rank that failed.</summary>
    public DistalException(FailureKind kind, int rank, string message, Exception? innerException)
        : base(message, innerException)
    {
        Kind = kind;
        Rank = rank;
    }

    /// <summary>Creates an internal failure.</summary>
    public DistalException()
        : this(FailureKind.Internal, "Distal failed.")
    {
    }

    /// <summary>Creates an internal failure.</summary>
    public DistalException(string message)
        : this(FailureKind.Internal, message)
    {
    }

    /// <summary>Creates an internal failure wrapping <paramref name="innerException"/>.</summary>
    public DistalException(string message, Exception innerException)
        : this(FailureKind.Internal, message, innerException)
    {
    }

    /// <summary>What kind of failure this is.</summary>
    public FailureKind Kind { get; }

    /// <summary>The rank that failed, when the failure was agreed across ranks; otherwise null.</summary>
    public int? Rank { get; }

    /// <summary>The message without the rank prefix.</summary>
    public string Cause => base.Message;

    /// <inheritdoc />
    public override string Message => Rank is { } rank ? $"rank {rank}: {base.Message}" : base.Message;
}

/// <summary>Malformed input data: names the file, the line and the column where reading stopped.</summary>
public sealed class DataFormatException : DistalException
{
    /// <summary>Creates the exception for <paramref name="path"/> at 1-based <paramref name="line"/> and <paramref name="column"/>.</summary>
    public DataFormatException(string path, long line, long column, string cause)
        : base(FailureKind.Input, column > 0 ? $"{path}:{line}:{column}: {cause}" : $"{path}:{line}: {cause}")
    {
        Path = path;
        Line = line;
        Column = column;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The 1-based line.</summary>
    public long Line { get; }

    /// <summary>The 1-based column (0 when not known).</summary>
    public long Column { get; }
}
