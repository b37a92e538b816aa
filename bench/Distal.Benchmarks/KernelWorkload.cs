using Distal.Kernels;

namespace Distal.Benchmarks;

/// <summary>The benchmarked shapes and their inputs (fixed seed, allocated and touched once, then reused).</summary>
internal sealed class KernelWorkload
{
    public KernelWorkload(string kernel, int rows, int columns, int otherRows = 0)
    {
        Kernel = kernel;
        Rows = rows;
        Columns = columns;
        OtherRows = otherRows;
        X = Fill(new double[(long)rows * columns], 42);
        switch (kernel)
        {
            case "xtx":
            case "xtx-wide":
                Output = new double[columns * columns];
                break;
            case "xtx-shifted":
                Output = new double[columns * columns];
                Shift = Fill(new double[columns], 44);
                Sums = new double[columns];
                break;
            case "abt":
                B = Fill(new double[otherRows * columns], 43);
                Output = new double[(long)rows * otherRows];
                break;
            case "qr":
                Work = new double[X.Length];
                Output = new double[columns * columns];
                Q = new double[X.Length];
                break;
            case "qr-r":
                Work = new double[X.Length];
                Output = new double[columns * columns];
                break;
            default:
                throw new ArgumentException($"Unknown kernel '{kernel}'.", nameof(kernel));
        }
    }

    public string Kernel { get; }

    public int Rows { get; }

    public int Columns { get; }

    public int OtherRows { get; }

    public double[] X { get; }

    public double[] B { get; } = [];

    public double[] Work { get; } = [];

    public double[] Q { get; } = [];

    public double[] Output { get; }

    /// <summary>The shift row of xtx-shifted (what covariance's shifted partials subtract while packing).</summary>
    public double[] Shift { get; } = [];

    public double[] Sums { get; } = [];

    public string Shape => Kernel == "abt" ? $"{Rows}x{Columns} by {OtherRows}x{Columns}" : $"{Rows}x{Columns}";

    /// <summary>Useful floating-point operations: XᵀX (shifted or not) counts n·p·(p+1) (the symmetric half), A·Bᵀ 2·m·n·k, QR with Q 4·m·p², R only 2·m·p².</summary>
    public double Flops => Kernel switch
    {
        "xtx" or "xtx-wide" or "xtx-shifted" => (double)Rows * Columns * (Columns + 1),
        "qr-r" => 2.0 * Rows * Columns * Columns,
        "abt" => 2.0 * Rows * OtherRows * Columns,
        _ => 4.0 * Rows * Columns * Columns,
    };

    /// <summary>Copies the input of a destructive kernel (QR); kept out of the timed region.</summary>
    public void Prepare()
    {
        if (Kernel is "qr" or "qr-r")
        {
            X.AsSpan().CopyTo(Work);
        }
    }

    public void Run(IDenseKernels kernels, int threads)
    {
        switch (Kernel)
        {
            case "xtx":
            case "xtx-wide":
                Array.Clear(Output);
                kernels.AddGram(X, Rows, Columns, Output, threads);
                break;
            case "xtx-shifted":
                Array.Clear(Output);
                Array.Clear(Sums);
                kernels.AddShiftedGram(X, Rows, Columns, Shift, Sums, Output, threads);
                break;
            case "abt":
                kernels.MultiplyTransposed(X, Rows, Columns, B, OtherRows, Output, threads);
                break;
            default:
                kernels.QrFactor(Work, Rows, Columns, Output, Q, threads);
                break;
        }
    }

    private static double[] Fill(double[] values, int seed)
    {
        var random = new Random(seed);
        for (long i = 0; i < values.LongLength; i++)
        {
            values[i] = random.NextDouble() - 0.5;
        }

        return values;
    }
}
