namespace Distal.Algorithms;

/// <summary>
/// Sufficient statistics of the rows seen so far (counts, sums, centered cross-products, R factors, per-class
/// sums...). Two partials merge exactly as if their rows had been seen together; a partial travels between ranks as
/// the bytes <see cref="WriteTo"/> writes and <see cref="Decode"/> reads back, exactly.
/// </summary>
/// <typeparam name="TSelf">The partial type itself: merges take a partial of the same type, so nothing casts.</typeparam>
internal interface IPartial<TSelf>
    where TSelf : class, IPartial<TSelf>
{
    /// <summary>Rebuilds a partial from the bytes its <see cref="WriteTo"/> wrote.</summary>
    static abstract TSelf Decode(ReadOnlySpan<byte> bytes);

    /// <summary>Folds <paramref name="other"/> (of the same input shape) into this partial.</summary>
    void Merge(TSelf other);

    /// <summary>Writes every field, so that <see cref="Decode"/> rebuilds an equal partial.</summary>
    void WriteTo(PartialWriter writer);
}

/// <summary>Encoding helpers shared by every partial type.</summary>
internal static class Partials
{
    /// <summary>The partial's bytes.</summary>
    public static byte[] Encode<TPartial>(TPartial partial)
        where TPartial : class, IPartial<TPartial>
    {
        var writer = new PartialWriter();
        partial.WriteTo(writer);
        return writer.ToArray();
    }

    /// <summary>An independent copy (through the bytes, so it is exactly what another rank would receive).</summary>
    public static TPartial Clone<TPartial>(TPartial partial)
        where TPartial : class, IPartial<TPartial>
        => TPartial.Decode(Encode(partial));
}
