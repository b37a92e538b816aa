namespace Distal.Tests.Fuzz;

/// <summary>
/// Seeded fuzzing of every reader (docs/fuzzing.md). Quick mode in CI; DISTAL_FUZZ_ITERATIONS=N runs N inputs per
/// reader: <c>DISTAL_FUZZ_ITERATIONS=200000 dotnet Distal.Tests.dll -trait Category=Fuzz</c>.
/// </summary>
[Trait("Category", "Fuzz")]
public class ReaderFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void Csv_inputs_read_to_double_Parse_values_or_fail_on_the_oracle_line() => Run("csv", ".csv", 400, CsvFuzzer.Check);

    [Fact]
    public void Npy_inputs_read_to_their_data_bytes_or_fail() => Run("npy", ".npy", 400, NpyFuzzer.Check);

    [Fact]
    public void Csr_inputs_read_to_the_oracle_rows_or_fail() => Run("csr", ".csr", 400, CsrFuzzer.Check);

    [Fact]
    public void Parquet_files_read_back_bit_for_bit_and_damaged_ones_read_or_fail() => Run("parquet", ".parquet", 150, ColumnarFuzzer.CheckParquet);

    [Fact]
    public void Arrow_files_read_back_bit_for_bit_and_damaged_ones_read_or_fail() => Run("arrow", ".arrow", 150, ColumnarFuzzer.CheckArrow);

    [Fact]
    public void Model_files_load_to_their_numbers_or_fail() => Run("model", ".json", 400, ModelFuzzer.Check);

    private void Run(string reader, string extension, int quick, Func<Random, string, string> check)
        => output.WriteLine(new FuzzRun(reader, extension).Run(quick, check));
}
