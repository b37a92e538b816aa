namespace Distal.Algorithms;

/// <summary>
/// PCA's partial: the centered cross-products of the correlation method, or the centered R factor of the svd
/// method. The method is fixed by the options, so both sides of every merge hold the same kind.
/// </summary>
internal sealed class PcaPartial : IPartial<PcaPartial>
{
    public PcaPartial(CrossProductPartial crossProducts) => CrossProducts = crossProducts;

    public PcaPartial(RFactorPartial rFactor) => RFactor = rFactor;

    /// <summary>The correlation method's statistics, or null.</summary>
    public CrossProductPartial? CrossProducts { get; }

    /// <summary>The svd method's statistics, or null.</summary>
    public RFactorPartial? RFactor { get; }

    /// <summary>Rows summarized.</summary>
    public long Count => CrossProducts?.Count ?? RFactor!.Count;

    /// <summary>Columns of the data.</summary>
    public int Columns => CrossProducts?.Columns ?? RFactor!.Columns;

    public static PcaPartial Decode(ReadOnlySpan<byte> bytes)
    {
        // One leading long says which kind follows.
        long kind = new PartialReader(bytes).ReadInt64();
        var rest = bytes[sizeof(long)..];
        return kind == 0 ? new PcaPartial(CrossProductPartial.Decode(rest)) : new PcaPartial(RFactorPartial.Decode(rest));
    }

    public void Merge(PcaPartial other)
    {
        if (CrossProducts is not null)
        {
            CrossProducts.Merge(other.CrossProducts!);
        }
        else
        {
            RFactor!.Merge(other.RFactor!);
        }
    }

    public void WriteTo(PartialWriter writer)
    {
        writer.Write(CrossProducts is not null ? 0L : 1L);
        if (CrossProducts is not null)
        {
            CrossProducts.WriteTo(writer);
        }
        else
        {
            RFactor!.WriteTo(writer);
        }
    }
}
