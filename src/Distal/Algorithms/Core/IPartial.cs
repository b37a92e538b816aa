namespace Distal.Algorithms;

/// <summary>
/// Sufficient statistics of the rows seen so far (counts, sums, centered cross-products, R factors, per-class
/// sums...). Two partials merge exactly as if their rows had been seen together; a partial travels between ranks as
/// the bytes <see cref="WriteTo"/> writes and <see cref="Decode"/> reads back, exactly (in segments of at most 1 GiB,
/// <see cref="PartialBytes"/>, so no size limit applies).
/// </summary>
/// <typeparam name="TSelf">The partial type itself: merges take a partial of the same type, so nothing casts.</typeparam>
internal interface IPartial<TSelf>
    where TSelf : class, IPartial<TSelf>
{
    /// <summary>Rebuilds a partial from the bytes its <see cref="WriteTo"/> wrote, reading exactly those.</summary>
    static abstract TSelf Decode(ref PartialReader reader);

    /// <summary>Folds <paramref name="other"/> (of the same input shape) into this partial.</summary>
    void Merge(TSelf other);

    /// <summary>Writes every field, so that <see cref="Decode"/> rebuilds an equal partial.</summary>
    void WriteTo(PartialWriter writer);
}

/// <summary>Encoding helpers shared by every partial type.</summary>
internal static class Partials
{
    /// <summary>The partial's bytes.</summary>
    public static PartialBytes Encode<TPartial>(TPartial partial)
        where TPartial : class, IPartial<TPartial>
        => PartialWriter.Encode(partial.WriteTo);

    /// <summary>
    /// The partial <paramref name="bytes"/> encode. With <paramref name="release"/>, each segment is dropped once read
    /// (the bytes are then spent), so that the encoding and the partial coexist only one segment at a time.
    /// </summary>
    public static TPartial Decode<TPartial>(PartialBytes bytes, bool release = false)
        where TPartial : class, IPartial<TPartial>
    {
        var reader = new PartialReader(bytes, release);
        long length = reader.ReadInt64();
        if (length != bytes.Length)
        {
            throw new InvalidDataException($"a partial's header states {length} bytes; it has {bytes.Length}");
        }

        var partial = TPartial.Decode(ref reader);
        reader.Finish();
        return partial;
    }

    /// <summary>An independent copy (through the bytes, so it is exactly what another rank would receive).</summary>
    public static TPartial Clone<TPartial>(TPartial partial)
        where TPartial : class, IPartial<TPartial>
        => Decode<TPartial>(Encode(partial), release: true);
}
