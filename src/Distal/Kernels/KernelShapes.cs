namespace Distal.Kernels;

/// <summary>Checks that spans passed to a kernel have exactly the sizes their shapes imply, for every backend.</summary>
internal static class KernelShapes
{
    public static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }

    public static void Gram(int xLength, int rows, int n, int cLength)
    {
        Require(rows >= 0 && n >= 0, $"Gram shape {rows}×{n} must be non-negative.");
        Require(xLength == (long)rows * n, $"Gram input has {xLength} elements, expected {rows}×{n}.");
        Require(cLength == (long)n * n, $"Gram output has {cLength} elements, expected {n}×{n}.");
    }

    public static void ShiftedGram(int xLength, int rows, int n, int shiftLength, int sumsLength, int cLength)
    {
        Gram(xLength, rows, n, cLength);
        Require(shiftLength == n, $"Shift has {shiftLength} elements, expected {n}.");
        Require(sumsLength == n, $"Column sums have {sumsLength} elements, expected {n}.");
    }

    public static void Product(int aLength, int m, int k, int bLength, int n, int cLength)
    {
        Require(m >= 0 && k >= 0 && n >= 0, $"Product shape {m}×{k}·{k}×{n} must be non-negative.");
        Require(aLength == (long)m * k, $"Left operand has {aLength} elements, expected {m}×{k}.");
        Require(bLength == (long)k * n, $"Right operand has {bLength} elements, expected {k * (long)n}.");
        Require(cLength == (long)m * n, $"Product has {cLength} elements, expected {m}×{n}.");
    }

    public static void Qr(int aLength, int m, int n, int rLength, int qLength)
    {
        Require(m >= 0 && n >= 1, $"QR shape {m}×{n} needs m ≥ 0 and n ≥ 1.");
        int kk = Math.Min(m, n);
        Require(aLength == (long)m * n, $"QR input has {aLength} elements, expected {m}×{n}.");
        Require(rLength == (long)kk * n, $"R has {rLength} elements, expected {kk}×{n}.");
        Require(qLength == 0 || qLength == (long)m * kk, $"Q has {qLength} elements, expected 0 or {m}×{kk}.");
    }

    public static void DeferredQr(int sourceLength, int targetLength, int m, int n, int rLength)
    {
        Require(n >= 1 && m >= n, $"A QR with Q formed later needs m ≥ n ≥ 1, not {m}×{n}.");
        Require(sourceLength == (long)m * n && targetLength == (long)m * n, $"QR input and target have {sourceLength} and {targetLength} elements, expected {m}×{n}.");
        Require(rLength == (long)n * n, $"R has {rLength} elements, expected {n}×{n}.");
    }

    public static void FactoredProduct(int aLength, int m, int n, int bLength)
    {
        Require(aLength == (long)m * n, $"The factored block has {aLength} elements, expected {m}×{n}.");
        Require(bLength == (long)n * n, $"B has {bLength} elements, expected {n}×{n}.");
    }

    public static void Cholesky(int aLength, int n, int bLength, int nrhs)
    {
        Require(n >= 0 && nrhs >= 0, $"Cholesky shape {n}, {nrhs} right-hand sides must be non-negative.");
        Require(aLength == (long)n * n, $"Cholesky matrix has {aLength} elements, expected {n}×{n}.");
        Require(bLength == (long)n * nrhs, $"Right-hand sides have {bLength} elements, expected {n}×{nrhs}.");
    }

    public static void Eigen(int aLength, int n, int valuesLength, int vectorsLength)
    {
        Require(n >= 0, $"Eigen order {n} must be non-negative.");
        Require(aLength == (long)n * n, $"Eigen input has {aLength} elements, expected {n}×{n}.");
        Require(valuesLength == n, $"Eigenvalues have {valuesLength} elements, expected {n}.");
        Require(vectorsLength == (long)n * n, $"Eigenvectors have {vectorsLength} elements, expected {n}×{n}.");
    }

    public static void Svd(int aLength, int m, int n, int sLength, int uLength, int vtLength)
    {
        Require(m >= 0 && n >= 0, $"SVD shape {m}×{n} must be non-negative.");
        int kk = Math.Min(m, n);
        Require(aLength == (long)m * n, $"SVD input has {aLength} elements, expected {m}×{n}.");
        Require(sLength == kk, $"Singular values have {sLength} elements, expected {kk}.");
        Require(uLength == (long)m * kk, $"U has {uLength} elements, expected {m}×{kk}.");
        Require(vtLength == (long)kk * n, $"Vᵀ has {vtLength} elements, expected {kk}×{n}.");
    }
}
