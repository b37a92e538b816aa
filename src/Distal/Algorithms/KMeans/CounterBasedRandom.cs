namespace Distal.Algorithms;

/// <summary>What a random draw is for: each purpose is its own stream, so adding draws for one never shifts another.</summary>
internal enum RandomPurpose : ulong
{
    /// <summary>k-means++ and k-means‖ draws proportional to D² (step = centroid or round, index = trial).</summary>
    WeightedRow = 1,

    /// <summary>randomDense: the sparse Fisher–Yates draws (index = draw number).</summary>
    DistinctRows = 2,

    /// <summary>k-means‖: the independent Bernoulli draw of every row in every round (step = round; global row g is lane g mod 4 of index g / 4).</summary>
    Oversampling = 3,

    /// <summary>k-means‖: weighted k-means++ on the candidates.</summary>
    CandidateReduction = 4,
}

/// <summary>
/// A random generator that is a pure function of (seed, purpose, step, index) — counter-based, with no state that
/// advances. A draw keyed by a global row index is therefore the same however the rows are split across ranks and
/// threads, which is what makes distributed k-means initialisation equal batch bit for bit.
/// </summary>
internal abstract class CounterBasedRandom
{
    /// <summary>The generator Distal uses for <paramref name="seed"/>.</summary>
    public static CounterBasedRandom Create(ulong seed) => new Philox4x64Random(seed);

    /// <summary>64 uniformly distributed random bits for the given key.</summary>
    public abstract ulong Bits(RandomPurpose purpose, ulong step, ulong index);

    /// <summary>
    /// Four independent draws for one key (the generator's whole output block), for callers that need a draw per
    /// row: row g uses lane g mod 4 of block ⌊g/4⌋, a quarter of the generator calls.
    /// </summary>
    public abstract void Block(RandomPurpose purpose, ulong step, ulong index, Span<ulong> four);

    /// <summary>The uniform double in [0, 1) made from 64 random bits (the top 53).</summary>
    public static double ToUniform(ulong bits) => (bits >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double Uniform(RandomPurpose purpose, ulong step, ulong index)
        => ToUniform(Bits(purpose, step, index));

    /// <summary>
    /// An integer in [0, <paramref name="bound"/>) by Lemire's multiply-high mapping; its bias is below bound / 2⁶⁴,
    /// which no test of k-means initialisation can detect, and it needs exactly one draw (no rejection loop).
    /// </summary>
    public ulong Below(ulong bound, RandomPurpose purpose, ulong step, ulong index)
        => (ulong)(((UInt128)Bits(purpose, step, index) * bound) >> 64);
}

/// <summary>
/// Philox4x64-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011), the counter-based generator
/// of Random123 and numpy's <c>Philox</c>. Counter = (index, step, purpose, 0), key = (seed, 0); the first of the four
/// output words is the draw.
/// </summary>
internal sealed class Philox4x64Random(ulong seed) : CounterBasedRandom
{
    private const ulong Multiplier0 = 0xD2E7470EE14C6C93;
    private const ulong Multiplier1 = 0xCA5A826395121157;
    private const ulong Weyl0 = 0x9E3779B97F4A7C15;
    private const ulong Weyl1 = 0xBB67AE8584CAA73B;
    private const int Rounds = 10;

    public override ulong Bits(RandomPurpose purpose, ulong step, ulong index)
    {
        Span<ulong> block = stackalloc ulong[4];
        Block(index, step, (ulong)purpose, 0, seed, 0, block);
        return block[0];
    }

    public override void Block(RandomPurpose purpose, ulong step, ulong index, Span<ulong> four)
        => Block(index, step, (ulong)purpose, 0, seed, 0, four);

    /// <summary>The full Philox4x64-10 block of counter (c0..c3) under key (k0, k1).</summary>
    internal static void Block(ulong c0, ulong c1, ulong c2, ulong c3, ulong k0, ulong k1, Span<ulong> output)
    {
        for (int round = 0; round < Rounds; round++)
        {
            if (round > 0)
            {
                k0 += Weyl0;
                k1 += Weyl1;
            }

            ulong hi0 = Math.BigMul(Multiplier0, c0, out ulong lo0);
            ulong hi1 = Math.BigMul(Multiplier1, c2, out ulong lo1);
            (c0, c1, c2, c3) = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0);
        }

        output[0] = c0;
        output[1] = c1;
        output[2] = c2;
        output[3] = c3;
    }
}
