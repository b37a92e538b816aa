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

    public static PcaPartial Decode(ref PartialReader reader)
    {
        // One leading long says which kind follows.
        long kind = reader.ReadInt64();
        return kind == 0 ? new PcaPartial(CrossProductPartial.Decode(ref reader)) : new PcaPartial(RFactorPartial.Decode(ref reader));
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
