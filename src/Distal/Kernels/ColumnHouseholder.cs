using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Distal.Kernels;

/// <summary>
/// Householder QR (dgeqr2) of a block held column by column. For the tall, narrow blocks of TSQR every reflector
/// then works on long contiguous columns (a dot product and an axpy per column), which vectorizes fully; on the
/// row-major layout the same updates ran over rows of at most n − j elements and were ~6× slower for n = 20.
/// The loops are compiled fully optimized at once (AggressiveOptimization): with tiering, the first warm QR runs
/// still ran Tier-0 code (2e6×20, one thread, load ~7: steady runs 0.30 → 0.28 s after the change).
/// </summary>
internal static class ColumnHouseholder<TOps, TV>
    where TOps : struct, IVectorArithmetic<TV>
    where TV : struct
{
    /// <summary>
    /// Factors the row-major rows×n block source into target (which may be source itself), leaving LAPACK's layout (R
    /// on and above the diagonal, reflectors below it with v₀ = 1 implicit) and the reflector factors in tau. columns
    /// is scratch of rows·n doubles; reading source through the transposition into it saves copying the rows first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Factor(ReadOnlySpan<double> source, Span<double> target, int rows, int n, Span<double> tau, Span<double> columns)
    {
        Transpose(source, rows, n, columns);
        int kk = Math.Min(rows, n);
        int j = 0;
        for (; j + 1 < kk; j += 2)
        {
            FactorPair(columns, rows, n, j, tau);
        }

        if (j < kk)
        {
            Span<double> x = columns.Slice((j * rows) + j, rows - j);
            tau[j] = MakeReflector(x);
            for (int c = j + 1; c < n; c++)
            {
                ApplyReflector(x[1..], tau[j], columns.Slice((c * rows) + j, rows - j));
            }
        }

        Transpose(columns, n, rows, target);
    }

    /// <summary>
    /// Reflectors j and j + 1, applied to the later columns in one read and one write of each: the trailing update is
    /// bound by moving columns through L2, and two reflectors per pass halve that. With u = vⱼ and w = vⱼ₊₁ (w
    /// starting a row lower), H₁·H₀·c = c − s₀u − s₁w where s₀ = τ₀·uᵀc and s₁ = τ₁·(wᵀc − s₀·wᵀu), so both dot
    /// products come from the same pass over c.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FactorPair(Span<double> columns, int rows, int n, int j, Span<double> tau)
    {
        Span<double> x0 = columns.Slice((j * rows) + j, rows - j);
        double t0 = MakeReflector(x0);
        ApplyReflector(x0[1..], t0, columns.Slice(((j + 1) * rows) + j, rows - j));
        Span<double> x1 = columns.Slice(((j + 1) * rows) + j + 1, rows - j - 1);
        double t1 = MakeReflector(x1);
        tau[j] = t0;
        tau[j + 1] = t1;

        // Below row j + 1 both reflectors are explicit: u's part is u2, w's is w2; u has u1 at row j + 1, w has 1.
        double u1 = x0[1];
        ReadOnlySpan<double> u2 = x0[2..];
        ReadOnlySpan<double> w2 = x1[1..];
        double wu = u1 + Dot(w2, u2);
        for (int c = j + 2; c < n; c++)
        {
            Span<double> column = columns.Slice((c * rows) + j, rows - j);
            (double du, double dw) = Dot2(u2, w2, column[2..]);
            double s0 = t0 * (column[0] + (u1 * column[1]) + du);
            double s1 = t1 * (column[1] + dw - (s0 * wu));
            column[0] -= s0;
            column[1] -= (s0 * u1) + s1;
            Axpy2(-s0, u2, -s1, w2, column[2..]);
        }
    }

    /// <summary>column −= τ·(vᵀcolumn)·v for the reflector (1, v) of the column's first row onwards.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ApplyReflector(ReadOnlySpan<double> v, double tau, Span<double> column)
    {
        if (tau == 0)
        {
            return;
        }

        double s = tau * (column[0] + Dot(v, column[1..]));
        column[0] -= s;
        Axpy(-s, v, column[1..]);
    }

    /// <summary>dlarfg on a contiguous column: x[0] becomes β, x[1..] becomes v, returns τ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double MakeReflector(Span<double> x)
    {
        double alpha = x[0];
        Span<double> tail = x[1..];
        double sum = Dot(tail, tail);
        double xnorm;
        if (double.IsFinite(sum) && (sum == 0 || sum >= 1e-280))
        {
            xnorm = Math.Sqrt(sum);
        }
        else
        {
            double max = 0;
            foreach (double value in tail)
            {
                max = Math.Max(max, Math.Abs(value));
            }

            double scaled = 0;
            if (max > 0 && double.IsFinite(max))
            {
                foreach (double value in tail)
                {
                    scaled += (value / max) * (value / max);
                }
            }

            xnorm = max * Math.Sqrt(scaled);
        }

        if (xnorm == 0)
        {
            return 0;
        }

        double beta = -Math.CopySign(HouseholderSigns.Hypot(alpha, xnorm), alpha);
        double tau = (beta - alpha) / beta;
        double scale = 1.0 / (alpha - beta);
        for (int i = 0; i < tail.Length; i++)
        {
            tail[i] *= scale;
        }

        x[0] = beta;
        return tau;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int n = x.Length;
        int w = TOps.Count;
        ref double px = ref MemoryMarshal.GetReference(x);
        ref double py = ref MemoryMarshal.GetReference(y);
        TV s0 = TOps.Zero, s1 = TOps.Zero, s2 = TOps.Zero, s3 = TOps.Zero;
        int i = 0;

        // Four accumulators cover the FMA latency.
        for (; i <= n - (4 * w); i += 4 * w)
        {
            s0 = TOps.MultiplyAdd(TOps.Load(ref Unsafe.Add(ref px, i)), TOps.Load(ref Unsafe.Add(ref py, i)), s0);
            s1 = TOps.MultiplyAdd(TOps.Load(ref Unsafe.Add(ref px, i + w)), TOps.Load(ref Unsafe.Add(ref py, i + w)), s1);
            s2 = TOps.MultiplyAdd(TOps.Load(ref Unsafe.Add(ref px, i + (2 * w))), TOps.Load(ref Unsafe.Add(ref py, i + (2 * w))), s2);
            s3 = TOps.MultiplyAdd(TOps.Load(ref Unsafe.Add(ref px, i + (3 * w))), TOps.Load(ref Unsafe.Add(ref py, i + (3 * w))), s3);
        }

        for (; i <= n - w; i += w)
        {
            s0 = TOps.MultiplyAdd(TOps.Load(ref Unsafe.Add(ref px, i)), TOps.Load(ref Unsafe.Add(ref py, i)), s0);
        }

        Span<double> lanes = stackalloc double[RegisterTile.MaxLanes];
        TOps.Store(TOps.Add(TOps.Add(s0, s1), TOps.Add(s2, s3)), ref MemoryMarshal.GetReference(lanes));
        double sum = 0;
        for (int l = 0; l < w; l++)
        {
            sum += lanes[l];
        }

        for (; i < n; i++)
        {
            sum += Unsafe.Add(ref px, i) * Unsafe.Add(ref py, i);
        }

        return sum;
    }

    /// <summary>(x·z, y·z) in one pass over z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double Xz, double Yz) Dot2(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> z)
    {
        int n = z.Length;
        int w = TOps.Count;
        ref double px = ref MemoryMarshal.GetReference(x);
        ref double py = ref MemoryMarshal.GetReference(y);
        ref double pz = ref MemoryMarshal.GetReference(z);
        TV x0 = TOps.Zero, x1 = TOps.Zero, y0 = TOps.Zero, y1 = TOps.Zero;
        int i = 0;

        // Two vectors per step: four FMA chains cover the latency, three loads per two FMAs keep it load-bound.
        for (; i <= n - (2 * w); i += 2 * w)
        {
            TV z0 = TOps.Load(ref Unsafe.Add(ref pz, i));
            TV z1 = TOps.Load(ref Unsafe.Add(ref pz, i + w));
            x0 = TOps.MultiplyAdd(TOps.Load(ref Unsafe.Add(ref px, i)), z0, x0);
            y0 = TOps.MultiplyAdd(TOps.Load(ref Unsafe.Add(ref py, i)), z0, y0);
            x1 = TOps.MultiplyAdd(TOps.Load(ref Unsafe.Add(ref px, i + w)), z1, x1);
            y1 = TOps.MultiplyAdd(TOps.Load(ref Unsafe.Add(ref py, i + w)), z1, y1);
        }

        for (; i <= n - w; i += w)
        {
            TV z0 = TOps.Load(ref Unsafe.Add(ref pz, i));
            x0 = TOps.MultiplyAdd(TOps.Load(ref Unsafe.Add(ref px, i)), z0, x0);
            y0 = TOps.MultiplyAdd(TOps.Load(ref Unsafe.Add(ref py, i)), z0, y0);
        }

        Span<double> lanes = stackalloc double[2 * RegisterTile.MaxLanes];
        TOps.Store(TOps.Add(x0, x1), ref lanes[0]);
        TOps.Store(TOps.Add(y0, y1), ref lanes[RegisterTile.MaxLanes]);
        double xs = 0, ys = 0;
        for (int l = 0; l < w; l++)
        {
            xs += lanes[l];
            ys += lanes[RegisterTile.MaxLanes + l];
        }

        for (; i < n; i++)
        {
            double zi = Unsafe.Add(ref pz, i);
            xs += Unsafe.Add(ref px, i) * zi;
            ys += Unsafe.Add(ref py, i) * zi;
        }

        return (xs, ys);
    }

    /// <summary>z += a·x + b·y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Axpy2(double a, ReadOnlySpan<double> x, double b, ReadOnlySpan<double> y, Span<double> z)
    {
        int n = z.Length;
        int w = TOps.Count;
        ref double px = ref MemoryMarshal.GetReference(x);
        ref double py = ref MemoryMarshal.GetReference(y);
        ref double pz = ref MemoryMarshal.GetReference(z);
        TV va = TOps.Broadcast(a);
        TV vb = TOps.Broadcast(b);
        int i = 0;
        for (; i <= n - w; i += w)
        {
            TV sum = TOps.MultiplyAdd(va, TOps.Load(ref Unsafe.Add(ref px, i)), TOps.Load(ref Unsafe.Add(ref pz, i)));
            TOps.Store(TOps.MultiplyAdd(vb, TOps.Load(ref Unsafe.Add(ref py, i)), sum), ref Unsafe.Add(ref pz, i));
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref pz, i) += (a * Unsafe.Add(ref px, i)) + (b * Unsafe.Add(ref py, i));
        }
    }

    /// <summary>y += alpha·x at the instance's vector width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = x.Length;
        int w = TOps.Count;
        ref double px = ref MemoryMarshal.GetReference(x);
        ref double py = ref MemoryMarshal.GetReference(y);
        TV a = TOps.Broadcast(alpha);
        int i = 0;
        for (; i <= n - w; i += w)
        {
            TOps.Store(TOps.MultiplyAdd(a, TOps.Load(ref Unsafe.Add(ref px, i)), TOps.Load(ref Unsafe.Add(ref py, i))), ref Unsafe.Add(ref py, i));
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref py, i) += alpha * Unsafe.Add(ref px, i);
        }
    }

    /// <summary>target (cols×rows) = sourceᵀ for a row-major rows×cols source.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose(ReadOnlySpan<double> source, int rows, int cols, Span<double> target)
    {
        // Four source rows at a time: each target row then receives four consecutive values per pass.
        int r = 0;
        for (; r <= rows - 4; r += 4)
        {
            ReadOnlySpan<double> s0 = source.Slice(r * cols, cols);
            ReadOnlySpan<double> s1 = source.Slice((r + 1) * cols, cols);
            ReadOnlySpan<double> s2 = source.Slice((r + 2) * cols, cols);
            ReadOnlySpan<double> s3 = source.Slice((r + 3) * cols, cols);
            for (int c = 0; c < cols; c++)
            {
                Span<double> t = target.Slice((c * rows) + r, 4);
                t[0] = s0[c];
                t[1] = s1[c];
                t[2] = s2[c];
                t[3] = s3[c];
            }
        }

        for (; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                target[(c * rows) + r] = source[(r * cols) + c];
            }
        }
    }
}
