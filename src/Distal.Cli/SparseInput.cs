using Distal.Communication;
using Distal.Data;

namespace Distal.Cli;

/// <summary>
/// Collective reading of CSR inputs (daal4py's 3-line files): one file per rank, or one file split by rows across
/// the ranks. A malformed file is one agreed error naming file and line on every rank; the widths are agreed later
/// by the computation (the largest over the ranks unless `--columns` fixes them).
/// </summary>
internal static class SparseInput
{
    /// <summary>Whether the inputs are CSR: every INPUT file ends in .csr.</summary>
    public static bool IsCsr(IReadOnlyList<string> inputs) => inputs.Count > 0 && inputs.All(CsrFile.IsCsr);

    public static InputTable Read(Communicator communicator, IReadOnlyList<string> inputs, bool asFloat, int? columns)
        => communicator.Collectively(() =>
        {
            var (path, share, shares) = ShareOf(communicator, inputs);
            return asFloat
                ? Table(CsrReader.ReadShare<float>(path, share, shares, columns), path)
                : Table(CsrReader.ReadShare<double>(path, share, shares, columns), path);
        });

    private static (string Path, int Share, int Shares) ShareOf(Communicator communicator, IReadOnlyList<string> inputs)
    {
        if (inputs.Count == communicator.Size)
        {
            return (inputs[communicator.Rank], 0, 1);
        }

        if (inputs.Count == 1)
        {
            return (inputs[0], communicator.Rank, communicator.Size);
        }

        throw new DistalException(FailureKind.Usage, $"{inputs.Count} input files for {communicator.Size} ranks: give one file per rank, or one file to split across the ranks");
    }

    private static InputTable Table<T>(CsrShare<T> share, string path)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        var origin = new InputOrigin(path, share.FirstRow, share.ValuesLine);
        return share.Table is CsrTable<double> d ? new InputTable(d, origin) : new InputTable((share.Table as CsrTable<float>)!, origin);
    }
}
