using Distal.Data;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Data;

/// <summary>.npy values must be finite, as CSV fields must; a double too large for float is refused under float.</summary>
public sealed class NpyValidationTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private string WriteNpy(string name, int rows, int columns, Action<double[]> edit)
    {
        var values = new double[rows * columns];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i * 0.5;
        }

        edit(values);
        string path = Path.Combine(_directory.Path, name);
        NpyWriter.Write(path, Table.FromArray(values, rows, columns));
        return path;
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void Non_finite_values_are_rejected_naming_row_and_column(double bad, string shown)
    {
        // Row 37 of 40, column 2: past the first vector of values, so the vectorized scan is exercised.
        string path = WriteNpy("bad.npy", 40, 3, v => v[(36 * 3) + 1] = bad);
        var error = Assert.Throws<DataFormatException>(() => DataFile.ReadNpy<double>(path));
        Assert.Equal(FailureKind.Input, error.Kind);
        Assert.Equal($"{path}:37:2: {shown} is not a finite number", error.Message);
    }

    [Fact]
    public void Non_finite_values_are_rejected_when_widening_or_narrowing_too()
    {
        string path = WriteNpy("nan.npy", 5, 2, v => v[9] = double.NaN);
        Assert.Equal($"{path}:5:2: NaN is not a finite number", Assert.Throws<DataFormatException>(() => DataFile.ReadNpy<float>(path)).Message);
    }

    [Fact]
    public void A_double_that_overflows_float_is_rejected_under_float()
    {
        string path = WriteNpy("big.npy", 4, 2, v => v[5] = -1e300);
        Assert.Equal(-1e300, DataFile.ReadNpy<double>(path)[2, 1]);
        var error = Assert.Throws<DataFormatException>(() => DataFile.ReadNpy<float>(path));
        Assert.Equal($"{path}:3:2: -1E+300 does not fit in float (--fptype float); read the file as double", error.Message);
    }

    [Fact]
    public void A_share_reports_the_row_of_the_whole_file()
    {
        string path = WriteNpy("share.npy", 10, 2, v => v[(8 * 2) + 0] = double.PositiveInfinity);
        var error = Assert.Throws<DataFormatException>(() => DataFile.ReadShare<double>(path, 1, 2));
        Assert.StartsWith($"{path}:9:1: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(63)]
    public void The_scan_finds_the_first_bad_value_at_every_position(int position)
    {
        var values = new double[64];
        values[position] = double.NaN;
        if (position + 3 < values.Length)
        {
            values[position + 3] = double.PositiveInfinity;
        }

        Assert.Equal(position, NpyReader.FirstNonFinite<double>(values));
        Assert.Equal(-1, NpyReader.FirstNonFinite<double>(new double[64]));
        Assert.Equal(position, NpyReader.FirstNonFinite<float>(values.Select(v => (float)v).ToArray()));
    }

    [Fact]
    public void A_pipe_is_refused_with_one_clear_line()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // .npy is read by offsets (CSV from a pipe is read sequentially: SequentialInputTests).
        string fifo = Path.Combine(_directory.Path, "fifo.npy");
        var writer = Fifo.CreateWithWriter(fifo, "\x93NUMPY");
        var error = Assert.Throws<DistalException>(() => DataFile.Read<double>(fifo));
        Assert.Equal(FailureKind.Input, error.Kind);
        Assert.Contains("not a regular file", error.Message, StringComparison.Ordinal);
        Assert.Contains("only CSV read whole can come from a pipe", error.Message, StringComparison.Ordinal);
        Assert.True(writer.Wait(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
    }
}
