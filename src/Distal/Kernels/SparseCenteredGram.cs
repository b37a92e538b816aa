using System.Numerics;

namespace Distal.Kernels;

/// <summary>
/// One CSR block's mean m and centered cross-product matrix C = Σ_rows (x − m)(x − m)ᵀ, counting the unstored zeros
/// (as −m after centering) without materializing them. With y = x − m for stored values, per pair of columns (a, b):
/// U = Σ y_a·y_b over rows storing both, V_ab = Σ y_a over those rows, N_ab = their count, Y_a = Σ y_a and K_a = the
/// rows storing a. Splitting the rows by which of a, b are stored gives
/// C_ab = U_ab − m_b·A_ab − m_a·A_ba + m_a·m_b·(n − K_a − K_b + N_ab), with A_ab = Y_a − V_ab the sum over rows storing
/// a but not b (exactly 0 when no such row exists). Every sum is of centered values, never Σxxᵀ − n·mmᵀ, so a column
/// stored in full and far from zero keeps its digits. Work is O(Σ stored-per-row²): oneDAL's fastCSR cross-product.
/// </summary>
internal sealed class SparseCenteredGram(int columns)
{
    private readonly double[] _u = new double[columns * columns];
    private readonly double[] _v = new double[columns * columns];
    private readonly int[] _n = new int[columns * columns];
    private readonly double[] _y = new double[columns];
    private readonly int[] _k = new int[columns];

    public double[] Mean { get; } = new double[columns];

    /// <summary>p×p row-major, both triangles (the upper one computed, then mirrored, so it is exactly symmetric).</summary>
    public double[] CrossProduct { get; } = new double[columns * columns];

    /// <summary>
    /// Computes the block's statistics; with <paramref name="center"/> false the mean is taken as 0 and C = Σxxᵀ
    /// (covariance's assumeCentered).
    /// </summary>
    public void Compute<T>(CsrTable<T> block, bool center)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int p = Mean.Length;
        int rows = block.Rows;
        int b = (int)block.Indexing;
        var indices = block.ColumnIndices.Span;
        var values = block.Values.Span;
        Array.Clear(Mean);
        Array.Clear(_y);
        Array.Clear(_k);
        if (center)
        {
            // _y and _k serve as the sums and stored counts here; they are cleared again below.
            var (first, last) = (block.RowRange(0).Start, block.RowRange(rows - 1).End);
            for (int k = first; k < last; k++)
            {
                int j = indices[k] - b;
                _y[j] += double.CreateTruncating(values[k]);
                _k[j]++;
            }

            SparseMeans.Compute(rows, indices[first..last], values[first..last], b, _y, _k, Mean);
        }

        Array.Clear(_u);
        Array.Clear(_v);
        Array.Clear(_n);
        Array.Clear(_y);
        Array.Clear(_k);
        for (int i = 0; i < rows; i++)
        {
            var (start, end) = block.RowRange(i);
            for (int s = start; s < end; s++)
            {
                int a = indices[s] - b;
                double ya = double.CreateTruncating(values[s]) - Mean[a];
                _y[a] += ya;
                _k[a]++;
                int row = a * p;
                for (int t = start; t < end; t++)
                {
                    int c = indices[t] - b;
                    double yc = double.CreateTruncating(values[t]) - Mean[c];
                    _u[row + c] = Math.FusedMultiplyAdd(ya, yc, _u[row + c]);
                    _v[row + c] += ya;
                    _n[row + c]++;
                }
            }
        }

        for (int a = 0; a < p; a++)
        {
            double ma = Mean[a];
            for (int c = a; c < p; c++)
            {
                double mc = Mean[c];
                int ac = (a * p) + c;
                int ca = (c * p) + a;
                double onlyA = _k[a] == _n[ac] ? 0.0 : _y[a] - _v[ac];
                double onlyC = _k[c] == _n[ca] ? 0.0 : _y[c] - _v[ca];
                long neither = (long)rows - _k[a] - _k[c] + _n[ac];
                double value = _u[ac] - (mc * onlyA) - (ma * onlyC) + (ma * mc * neither);
                CrossProduct[ac] = value;
                CrossProduct[ca] = value;
            }
        }
    }
}
