using Distal.Data;

namespace Distal.Tests.Data;

public sealed class NpyTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    /// <summary>The fixtures NumPy wrote (make_npy_fixtures.py).</summary>
    private static string Fixture(string name) => Fixtures.PathOf(name);

    private static double Grid(int row, int column, int columns) => (((row * columns) + column) * 0.1) - 0.5;

    [Theory]
    [InlineData("f8_5x3.npy")]
    [InlineData("f8_5x3_v2.npy")]
    public void Reads_numpy_float64_arrays(string name)
    {
        Table<double> table = DataFile.ReadNpy<double>(Fixture(name));
        Assert.Equal(5, table.Rows);
        Assert.Equal(3, table.Columns);
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(Grid(i, j, 3)), BitConverter.DoubleToInt64Bits(table[i, j]));
            }
        }
    }

    [Fact]
    public void Reads_numpy_float32_arrays_as_float_and_double()
    {
        Table<float> single = DataFile.ReadNpy<float>(Fixture("f4_4x2.npy"));
        Table<double> widened = DataFile.ReadNpy<double>(Fixture("f4_4x2.npy"));
        Assert.Equal(4, single.Rows);
        Assert.Equal(2, single.Columns);
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                Assert.Equal((float)Grid(i, j, 2), single[i, j]);
                Assert.Equal((double)(float)Grid(i, j, 2), widened[i, j]);
            }
        }
    }

    [Fact]
    public void Float64_files_read_as_float_round_to_nearest()
    {
        Table<float> table = DataFile.ReadNpy<float>(Fixture("f8_5x3.npy"));
        Assert.Equal((float)Grid(4, 2, 3), table[4, 2]);
    }

    [Fact]
    public void One_dimensional_arrays_are_one_column()
    {
        Table<double> table = DataFile.ReadNpy<double>(Fixture("f8_vector6.npy"));
        Assert.Equal(6, table.Rows);
        Assert.Equal(1, table.Columns);
        Assert.Equal(Grid(5, 0, 1), table[5, 0]);
    }

    [Fact]
    public void Zero_row_arrays_keep_their_columns()
    {
        Table<double> table = DataFile.ReadNpy<double>(Fixture("f8_0x3.npy"));
        Assert.Equal(0, table.Rows);
        Assert.Equal(3, table.Columns);
    }

    [Theory]
    [InlineData("f8_fortran_3x4.npy", ".npy array is in Fortran (column-major) order: save it in C order, e.g. numpy.save(path, numpy.ascontiguousarray(a))")]
    [InlineData("i8_2x2.npy", ".npy dtype '<i8' is not supported: Distal reads '<f8' (float64) and '<f4' (float32)")]
    [InlineData("f8_big_endian_2x2.npy", ".npy dtype '>f8' is not supported: Distal reads '<f8' (float64) and '<f4' (float32)")]
    [InlineData("f8_2x2x2.npy", ".npy array has 3 dimensions: Distal reads 1-D (one column) and 2-D arrays")]
    [InlineData("f8_scalar.npy", ".npy array has 0 dimensions: Distal reads 1-D (one column) and 2-D arrays")]
    public void Unsupported_arrays_are_rejected_with_a_clear_message(string name, string cause)
    {
        string path = Fixture(name);
        var error = Assert.Throws<DistalException>(() => DataFile.ReadNpy<double>(path));
        Assert.Equal($"{path}: {cause}", error.Message);
        Assert.Equal(FailureKind.Input, error.Kind);
    }

    [Fact]
    public void Written_files_are_byte_identical_to_numpy_save()
    {
        var table = Table<double>.Create(5, 3);
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                table[i, j] = Grid(i, j, 3);
            }
        }

        string path = _directory.File("written.npy");
        DataFile.WriteNpy(path, table);
        Assert.Equal(File.ReadAllBytes(Fixture("f8_5x3.npy")), File.ReadAllBytes(path));

        var single = Table<float>.Create(4, 2);
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                single[i, j] = (float)Grid(i, j, 2);
            }
        }

        DataFile.WriteNpy(path, single);
        Assert.Equal(File.ReadAllBytes(Fixture("f4_4x2.npy")), File.ReadAllBytes(path));
    }

    [Fact]
    public void Random_tables_round_trip_bit_for_bit()
    {
        var random = new Random(99);
        for (int trial = 0; trial < 20; trial++)
        {
            int rows = random.Next(0, 50);
            int columns = random.Next(1, 9);
            var values = new double[rows * columns];
            for (int i = 0; i < values.Length; i++)
            {
                // Any bit pattern that is a finite double (NaN and infinities are refused on reading).
                do
                {
                    values[i] = BitConverter.Int64BitsToDouble(random.NextInt64());
                }
                while (!double.IsFinite(values[i]));
            }

            string path = _directory.File($"round-{trial}.npy");
            DataFile.WriteNpy(path, new Table<double>(values, rows, columns));
            Table<double> back = DataFile.ReadNpy<double>(path);
            Assert.Equal(rows, back.Rows);
            Assert.Equal(columns, back.Columns);
            Assert.Equal(values.Select(BitConverter.DoubleToInt64Bits), back.Span.ToArray().Select(BitConverter.DoubleToInt64Bits));
        }
    }

    [Fact]
    public void Shares_are_exact_row_ranges_that_concatenate_to_the_whole()
    {
        var random = new Random(3);
        foreach (int rows in new[] { 0, 1, 2, 5, 37 })
        {
            var table = Table<double>.Create(rows, 4);
            for (int i = 0; i < table.Span.Length; i++)
            {
                table.Span[i] = random.NextDouble();
            }

            string path = _directory.File($"shares-{rows}.npy");
            DataFile.WriteNpy(path, table);
            for (int shares = 1; shares <= 8; shares++)
            {
                var joined = new List<double>();
                for (int share = 0; share < shares; share++)
                {
                    Table<double> part = NpyReader.ReadShare<double>(path, share, shares);
                    Assert.Equal(4, part.Columns);
                    Assert.Equal((rows * (share + 1) / shares) - (rows * share / shares), part.Rows);
                    joined.AddRange(part.Span.ToArray());
                }

                Assert.Equal(table.Span.ToArray(), joined);
            }
        }
    }

    [Fact]
    public void Truncated_and_foreign_files_are_rejected()
    {
        byte[] good = File.ReadAllBytes(Fixture("f8_5x3.npy"));
        string truncated = _directory.File("truncated.npy");
        File.WriteAllBytes(truncated, good[..^8]);
        var error = Assert.Throws<DistalException>(() => DataFile.ReadNpy<double>(truncated));
        Assert.Equal($"{truncated}: .npy data is truncated: shape (5, 3) needs 248 bytes, the file has 240", error.Message);

        string headerCut = _directory.File("header-cut.npy");
        File.WriteAllBytes(headerCut, good[..40]);
        error = Assert.Throws<DistalException>(() => DataFile.ReadNpy<double>(headerCut));
        Assert.Equal($"{headerCut}: .npy header is truncated", error.Message);

        string csv = _directory.Write("not.npy", "1,2\n");
        error = Assert.Throws<DistalException>(() => DataFile.ReadNpy<double>(csv));
        Assert.Equal($"{csv}: not a .npy file (no \\x93NUMPY magic)", error.Message);

        string missing = _directory.File("missing.npy");
        error = Assert.Throws<DistalException>(() => DataFile.ReadNpy<double>(missing));
        Assert.Equal($"{missing}: file not found", error.Message);
    }

    [Fact]
    public void Csv_written_round_trips_through_the_csv_reader()
    {
        var random = new Random(8);
        var values = new double[60];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BitConverter.Int64BitsToDouble(random.NextInt64(0, 0x7FF0000000000000)) * (random.Next(2) == 0 ? -1 : 1);
        }

        string path = _directory.File("round.csv");
        DataFile.WriteCsv(path, new Table<double>(values, 12, 5));
        Table<double> back = DataFile.ReadCsv<double>(path);
        Assert.Equal(12, back.Rows);
        Assert.Equal(values.Select(BitConverter.DoubleToInt64Bits), back.Span.ToArray().Select(BitConverter.DoubleToInt64Bits));

        var floats = values.Select(v => (float)(v % 1e30)).ToArray();
        DataFile.WriteCsv(path, new Table<float>(floats, 12, 5));
        Assert.Equal(floats, DataFile.ReadCsv<float>(path).Span.ToArray());
    }

    [Fact]
    public void Read_dispatches_on_the_extension()
    {
        Assert.Equal(3, DataFile.Read<double>(Fixture("f8_5x3.npy")).Columns);
        Assert.Equal(2, DataFile.Read<double>(_directory.Write("x.csv", "1,2\n")).Columns);
        Assert.Equal(2, DataFile.Read<double>(_directory.Write("x.txt", "1,2\n")).Columns);
    }

    [Fact]
    public void Public_shares_of_either_format_concatenate_to_the_whole()
    {
        var random = new Random(17);
        var values = Enumerable.Range(0, 33).Select(_ => random.NextDouble()).ToArray();
        var table = new Table<double>(values, 11, 3);
        string npy = _directory.File("s.npy");
        string csv = _directory.File("s.csv");
        DataFile.WriteNpy(npy, table);
        DataFile.WriteCsv(csv, table);
        foreach (string path in new[] { npy, csv })
        {
            var joined = Enumerable.Range(0, 5).SelectMany(share => DataFile.ReadShare<double>(path, share, 5).Span.ToArray());
            Assert.Equal(values, joined);
        }
    }

    [Fact]
    public void Unwritable_paths_are_named()
    {
        string path = Path.Combine(_directory.Path, "no-such-dir", "x.npy");
        var error = Assert.Throws<DistalException>(() => DataFile.WriteNpy(path, Table<double>.Create(1, 1)));
        Assert.Equal($"{path}: directory not found", error.Message);
    }
}
