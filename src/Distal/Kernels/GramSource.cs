using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Distal.Kernels;

/// <summary>The caller's rows, double or float, and the shift row (or null), pinned for the duration of the call.</summary>
internal readonly unsafe struct GramSource(double* doubles, float* floats, double* shift, bool wantsSums, int n)
{
    // The packing loops follow the process's vector width (DISTAL_SIMD), like the tiles.
    private static readonly bool Vectorized = SimdWidths.Default >= SimdWidth.Bits256;

    public bool WantsSums => wantsSums;

    public int ElementSize => doubles != null ? sizeof(double) : sizeof(float);

    public byte* RowAddress(long row) => doubles != null ? (byte*)(doubles + (row * n)) : (byte*)(floats + (row * n));

    /// <summary>
    /// Prefetches to L2 part <paramref name="part"/> of <paramref name="parts"/> of rows [firstRow, firstRow + count).
    /// A block's sweep calls it once per strip of tiles for the next block: the sweep is compute bound and the copy is
    /// memory bound, so overlapping them hides most of the memory traffic.
    /// </summary>
    public void Prefetch(int firstRow, int count, int part, int parts)
    {
        if (!Sse.IsSupported || count <= 0)
        {
            return;
        }

        byte* start = RowAddress(firstRow);
        long lines = (((long)count * n * ElementSize) + 63) / 64;
        long perPart = (lines + parts - 1) / parts;
        long end = Math.Min(lines, (part + 1) * perPart);
        for (long line = part * perPart; line < end; line++)
        {
            Sse.Prefetch1(start + (line * 64));
        }
    }

    /// <summary>Copies rows into the block, widened and shifted, adding the shifted rows to <paramref name="sums"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pack(int firstRow, int count, int n, double* block, int stride, Span<double> sums)
    {
        var s = shift == null ? ReadOnlySpan<double>.Empty : new ReadOnlySpan<double>(shift, n);
        for (int r = 0; r < count; r++)
        {
            long offset = (long)(firstRow + r) * n;
            var target = new Span<double>(block + ((long)r * stride), n);
            if (doubles != null)
            {
                var row = new ReadOnlySpan<double>(doubles + offset, n);
                if (s.IsEmpty)
                {
                    row.CopyTo(target);
                    AddTo(target, sums);
                }
                else
                {
                    ShiftAndSum(row, s, target, sums);
                }
            }
            else
            {
                Widen(new ReadOnlySpan<float>(floats + offset, n), target);
                if (s.IsEmpty)
                {
                    AddTo(target, sums);
                }
                else
                {
                    ShiftAndSum(target, s, target, sums);
                }
            }
        }
    }


    /// <summary>
    /// Copies rows [firstRow, firstRow + count) into a column panel, panel[c·ld + r] = x[firstRow + r, c] − s[c]
    /// (widened from float first), and adds the shifted rows to <paramref name="sums"/> (null: no sums) row by row,
    /// in the same order as <see cref="Pack"/>. <paramref name="scratch"/> holds 4·n doubles for widened float rows;
    /// <paramref name="panel"/> + r must be 32-byte aligned for every multiple r of 4.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void PackColumns(int firstRow, int count, int n, double* panel, nint ld, double* sums, double* scratch)
    {
        int r = 0;
        if (Vectorized && Avx.IsSupported)
        {
            for (; r + 4 <= count; r += 4)
            {
                PackQuad(Row(firstRow + r, scratch), Row(firstRow + r + 1, scratch + n), Row(firstRow + r + 2, scratch + (2 * n)), Row(firstRow + r + 3, scratch + (3 * n)), n, panel + r, ld, sums);
            }
        }

        for (; r < count; r++)
        {
            double* row = Row(firstRow + r, scratch);
            for (int c = 0; c < n; c++)
            {
                double d = shift == null ? row[c] : row[c] - shift[c];
                panel[(c * ld) + r] = d;
                if (sums != null)
                {
                    sums[c] += d;
                }
            }
        }
    }

    /// <summary>The row as doubles: the caller's row itself, or its float values widened into <paramref name="scratch"/>.</summary>
    private double* Row(long row, double* scratch)
    {
        if (doubles != null)
        {
            return doubles + (row * n);
        }

        Widen(new ReadOnlySpan<float>(floats + (row * n), n), new Span<double>(scratch, n));
        return scratch;
    }

    /// <summary>Four rows shifted and transposed into four columns of the panel, 4 × 4 doubles at a time in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PackQuad(double* r0, double* r1, double* r2, double* r3, int n, double* target, nint ld, double* sums)
    {
        int c = 0;
        for (; c + 4 <= n; c += 4)
        {
            Vector256<double> v0 = Avx.LoadVector256(r0 + c);
            Vector256<double> v1 = Avx.LoadVector256(r1 + c);
            Vector256<double> v2 = Avx.LoadVector256(r2 + c);
            Vector256<double> v3 = Avx.LoadVector256(r3 + c);
            if (shift != null)
            {
                Vector256<double> s = Avx.LoadVector256(shift + c);
                v0 -= s;
                v1 -= s;
                v2 -= s;
                v3 -= s;
            }

            if (sums != null)
            {
                Avx.Store(sums + c, Avx.LoadVector256(sums + c) + v0 + v1 + v2 + v3);
            }

            Vector256<double> t0 = Avx.UnpackLow(v0, v1);
            Vector256<double> t1 = Avx.UnpackHigh(v0, v1);
            Vector256<double> t2 = Avx.UnpackLow(v2, v3);
            Vector256<double> t3 = Avx.UnpackHigh(v2, v3);
            double* column = target + (c * ld);
            Avx.StoreAligned(column, Avx.Permute2x128(t0, t2, 0x20));
            Avx.StoreAligned(column + ld, Avx.Permute2x128(t1, t3, 0x20));
            Avx.StoreAligned(column + (2 * ld), Avx.Permute2x128(t0, t2, 0x31));
            Avx.StoreAligned(column + (3 * ld), Avx.Permute2x128(t1, t3, 0x31));
        }

        for (; c < n; c++)
        {
            double s = shift == null ? 0 : shift[c];
            double d0 = r0[c] - s;
            double d1 = r1[c] - s;
            double d2 = r2[c] - s;
            double d3 = r3[c] - s;
            double* column = target + (c * ld);
            column[0] = d0;
            column[1] = d1;
            column[2] = d2;
            column[3] = d3;
            if (sums != null)
            {
                sums[c] = sums[c] + d0 + d1 + d2 + d3;
            }
        }
    }
    /// <summary>
    /// target = row − shift (exact when row and shift are within a factor of two: the Sterbenz lemma) and, unless
    /// <paramref name="sums"/> is empty, sums += target, in one pass while the row is in L1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ShiftAndSum(ReadOnlySpan<double> row, ReadOnlySpan<double> shift, Span<double> target, Span<double> sums)
    {
        int i = 0;
        bool sum = !sums.IsEmpty;
        if (Vectorized)
        {
            for (; i <= row.Length - 4; i += 4)
            {
                var d = Vector256.Create(row.Slice(i, 4)) - Vector256.Create(shift.Slice(i, 4));
                d.CopyTo(target.Slice(i, 4));
                if (sum)
                {
                    (Vector256.Create<double>(sums.Slice(i, 4)) + d).CopyTo(sums.Slice(i, 4));
                }
            }
        }

        for (; i < row.Length; i++)
        {
            double d = row[i] - shift[i];
            target[i] = d;
            if (sum)
            {
                sums[i] += d;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddTo(ReadOnlySpan<double> row, Span<double> sums)
    {
        if (sums.IsEmpty)
        {
            return;
        }

        int i = 0;
        if (Vectorized)
        {
            for (; i <= row.Length - 4; i += 4)
            {
                (Vector256.Create(sums.Slice(i, 4)) + Vector256.Create(row.Slice(i, 4))).CopyTo(sums.Slice(i, 4));
            }
        }

        for (; i < row.Length; i++)
        {
            sums[i] += row[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Widen(ReadOnlySpan<float> source, Span<double> target)
    {
        int i = 0;
        if (Vectorized)
        {
            for (; i <= source.Length - 8; i += 8)
            {
                (Vector256<double> lower, Vector256<double> upper) = Vector256.Widen(Vector256.Create(source.Slice(i, 8)));
                lower.CopyTo(target.Slice(i, 4));
                upper.CopyTo(target.Slice(i + 4, 4));
            }
        }

        for (; i < source.Length; i++)
        {
            target[i] = source[i];
        }
    }
}
