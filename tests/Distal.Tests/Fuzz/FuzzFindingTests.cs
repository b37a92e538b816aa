namespace Distal.Tests.Fuzz;

/// <summary>
/// The inputs on which the fuzz tests found a reader bug (docs/fuzzing.md, "What it found"), replayed by seed and
/// index so that each fix stays tested even where the quick mode's range does not reach the input.
/// </summary>
[Trait("Category", "Fuzz")]
public class FuzzFindingTests
{
    public static TheoryData<string, long> Findings => new()
    {
        { "npy", 64 },          // minor version 0x?? accepted
        { "npy", 86 },          // text after the header dict accepted
        { "npy", 643 },         // a Latin-1 no-break space counted as white space after the dict
        { "npy", 2512 },        // an unknown key with a line break made a multi-line message
        { "arrow", 13 },        // a library message with "Actual value was …" on a second line
        { "arrow", 216 },       // chunked read: ArgumentOutOfRangeException escaped
        { "arrow", 691 },       // chunked read: NullReferenceException escaped
        { "arrow", 2295 },      // a null count the validity bitmap contradicts: endless search
        { "arrow", 13518 },     // a batch declaring more rows than its columns: minutes of copying
        { "parquet", 220 },     // a damaged footer: Parquet.Net's Thrift reader looped for ever
        { "parquet", 665 },     // a flipped type nibble in the footer: read by schema type, past the end, for ever
        { "parquet", 1918 },    // the same, in another field
        { "model", 83 },        // a JSON error quoting text with line breaks
        { "model", 13830 },     // duplicate keys: ArgumentException from JsonObject
    };

    [Theory]
    [MemberData(nameof(Findings))]
    public void Input_that_found_a_bug_now_reads_or_fails_cleanly(string reader, long index)
    {
        (string Extension, Func<Random, string, string> Check) entry = reader switch
        {
            "npy" => (".npy", NpyFuzzer.Check),
            "arrow" => (".arrow", ColumnarFuzzer.CheckArrow),
            "parquet" => (".parquet", ColumnarFuzzer.CheckParquet),
            _ => (".json", ModelFuzzer.Check),
        };
        new FuzzRun(reader, entry.Extension).Run(index, 1, FuzzRun.DefaultSeed, entry.Check);
    }
}
