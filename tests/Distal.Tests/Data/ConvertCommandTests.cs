using System.Globalization;
using System.Text.Json.Nodes;
using Distal.Tests.Cli;

namespace Distal.Tests.Data;

public sealed class ConvertCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Csv_to_npy_writes_exactly_the_parsed_doubles_and_back()
    {
        var random = new Random(12);
        var (text, _, _) = CsvReaderTests.GenerateCsv(random, 200, 7, isFloat: false);
        string csv = _directory.Write("in.csv", text);
        string npy = _directory.File("out.npy");
        JsonObject summary = DistalProcess.RunJson("convert", csv, npy);
        Assert.Equal(200, summary["rows"]!.GetValue<int>());
        Assert.Equal(7, summary["cols"]!.GetValue<int>());
        Assert.Equal("<f8", summary["dtype"]!.GetValue<string>());

        long[] parsed = DataFile.ReadCsv<double>(csv).Span.ToArray().Select(BitConverter.DoubleToInt64Bits).ToArray();
        Assert.Equal(parsed, DataFile.ReadNpy<double>(npy).Span.ToArray().Select(BitConverter.DoubleToInt64Bits));

        // .npy → CSV → .npy reproduces the file byte for byte.
        string back = _directory.File("back.csv");
        string again = _directory.File("again.npy");
        DistalProcess.RunJson("convert", npy, back);
        DistalProcess.RunJson("convert", back, again);
        Assert.Equal(File.ReadAllBytes(npy), File.ReadAllBytes(again));
    }

    [Fact]
    public void Npy_to_csv_writes_round_trip_text()
    {
        var table = Table<double>.Create(2, 3);
        double[] values = [0.1, -1e-310, 123456789.125, 1.7976931348623157e308, 5e-324, -0.0];
        values.CopyTo(table.Span);
        string npy = _directory.File("in.npy");
        DataFile.WriteNpy(npy, table);
        string csv = _directory.File("out.csv");
        DistalProcess.RunJson("convert", npy, csv);
        string expected = string.Join(',', values[..3].Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "\n"
            + string.Join(',', values[3..].Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "\n";
        Assert.Equal(expected, File.ReadAllText(csv));
    }

    [Fact]
    public void Float_conversion_writes_f4()
    {
        string csv = _directory.Write("f.csv", "0.1,2\n3,4.5\n");
        string npy = _directory.File("f.npy");
        JsonObject summary = DistalProcess.RunJson("convert", "--fptype", "float", csv, npy);
        Assert.Equal("<f4", summary["dtype"]!.GetValue<string>());
        Assert.Equal([0.1f, 2f, 3f, 4.5f], DataFile.ReadNpy<float>(npy).Span.ToArray());
    }

    [Fact]
    public void Errors_are_one_line_with_an_exit_code()
    {
        string bad = _directory.Write("bad.csv", "1,2\n3,zz\n");
        var (code, stdout, stderr) = DistalProcess.Run("convert", bad, _directory.File("x.npy"));
        Assert.Equal(1, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal($"distal: {bad}:2:3: 'zz' is not a finite number", stderr.Trim());

        string missing = _directory.File("missing.csv");
        (code, _, stderr) = DistalProcess.Run("convert", missing, _directory.File("x.npy"));
        Assert.Equal(1, code);
        Assert.Equal($"distal: {missing}: file not found", stderr.Trim());

        string good = _directory.Write("good.csv", "1,2\n");
        string nowhere = Path.Combine(_directory.Path, "no-dir", "x.npy");
        (code, _, stderr) = DistalProcess.Run("convert", good, nowhere);
        Assert.Equal(2, code);
        Assert.Equal($"distal: {nowhere}: directory not found", stderr.Trim());

        (code, _, stderr) = DistalProcess.Run("convert", good, good);
        Assert.Equal(2, code);
        Assert.Equal($"distal: {good}: the output would overwrite the input", stderr.Trim());
    }
}
