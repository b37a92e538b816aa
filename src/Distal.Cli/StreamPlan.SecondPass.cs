using Distal.Communication;

namespace Distal.Cli;

/// <summary>
/// Per-row outputs of a streamed run. A map from a model (predictions, PCA scores) streams in one pass. Q of QR and
/// U of the SVD need the factorization first, so they take a second pass over the input, which is announced on
/// stderr (rank 0). Either way each chunk's output rows are written as they come: memory stays one chunk.
/// </summary>
internal sealed partial class StreamPlan
{
    /// <summary>Says, on rank 0's stderr, that <paramref name="what"/> needs the input read a second time, which follows.</summary>
    public void AnnounceSecondPass(string command, string what)
    {
        if (Communicator.Rank == 0)
        {
            Console.Error.WriteLine($"distal: {command}: {what} needs the rows again: reading the input a second time (--chunk-rows)");
        }
    }

    /// <summary>
    /// This rank's rows read again chunk by chunk (float input widened, exactly), each mapped to its output rows.
    /// Lazy and not collective: the caller enumerates inside <c>Collectively</c> (as <see cref="RankContext.WriteLocal(string, IEnumerable{Table{double}})"/> does).
    /// </summary>
    public IEnumerable<Table<double>> MapRows(Func<Table<double>, Table<double>> map)
    {
        if (AsFloat)
        {
            foreach (Table<float> chunk in ChunksOfThisRank<float>(null))
            {
                yield return map(chunk.ToDouble());
            }
        }
        else
        {
            foreach (Table<double> chunk in ChunksOfThisRank<double>(null))
            {
                yield return map(chunk);
            }
        }
    }
}
