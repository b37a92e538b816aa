using System.Buffers.Binary;
using Distal.Data;
using Distal.Parquet;

namespace Distal.Tests.Data;

/// <summary>
/// Damaged Parquet files read or fail with one line, and never hang. Parquet.Net 6.1's Thrift reader loops for ever
/// once it reads past the end of its stream, and reads known footer fields by their schema type whatever the wire
/// type says (docs/fuzzing.md): these tests change every type nibble and field-id delta of whole footers and of a
/// page header, and build page headers that run past the end of the file or point back at themselves. Each read runs
/// under a watchdog, so a hang fails the test instead of stalling the run.
/// </summary>
public sealed class ParquetDamageTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static readonly double[] Values = [1.5, -2.25, 4.9e-324];

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void The_hand_made_file_reads_bit_for_bit()
    {
        string path = Save("ok.parquet", HandMade(PageHeader(Values.Length, 8 * Values.Length), dataPageOffset: null));
        Assert.Equal(Values.Select(BitConverter.DoubleToInt64Bits), Read(path).Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void A_page_header_running_past_the_end_of_the_file_fails_in_one_line()
    {
        // The first page "starts" at the last byte of the file, the '1' of PAR1 (0x31): a field header for field 3
        // (the compressed page size, an i32) whose varint then reads past the end of the file.
        byte[] file = HandMade(PageHeader(Values.Length, 8 * Values.Length), dataPageOffset: length => length - 1);
        AssertFailsInOneLine(Save("eof.parquet", file), $"the page header at byte {file.Length - 1} is damaged");
    }

    [Fact]
    public void A_page_larger_than_the_rest_of_the_file_fails_before_it_is_allocated()
    {
        // A damaged size varint can claim up to 2 GB; Parquet.Net 6.1 would allocate and try to read that much.
        byte[] file = HandMade(PageHeader(Values.Length, int.MaxValue), dataPageOffset: null);
        AssertFailsInOneLine(Save("huge.parquet", file), $"claims {int.MaxValue} bytes, but the file has");
    }

    [Fact]
    public void A_page_header_whose_size_points_back_at_itself_fails_in_one_line()
    {
        // A data page of no values whose compressed size is minus its header's length: the next page would be this
        // header again, and the chunk's values are never all read. Parquet.Net 6.1 fails on the negative size before
        // it moves on (which is why PageGuardStream needs no check that headers advance); this keeps that true.
        byte[] header = PageHeader(0, 0);
        while (header.Length != PageHeader(0, -header.Length).Length)
        {
            header = PageHeader(0, -header.Length);
        }

        header = PageHeader(0, -header.Length);
        AssertFailsInOneLine(Save("cycle.parquet", HandMade(header, dataPageOffset: null)), "not a readable Parquet file");
    }

    [Fact]
    public void Every_type_nibble_and_field_delta_of_a_footer_and_a_page_header_reads_or_fails_in_one_line()
    {
        string written = _directory.File("written.parquet");
        ParquetFormat.Instance.Write(written, new Table<double>(Values.Concat(Values).ToArray(), Values.Length, 2));
        foreach (byte[] original in new[] { File.ReadAllBytes(written), HandMade(PageHeader(Values.Length, 8 * Values.Length), dataPageOffset: null) })
        {
            Assert.Equal(Values.Length * (original.Length > 400 ? 2 : 1), Read(Save("original.parquet", original)).Length);
            int footerLength = BinaryPrimitives.ReadInt32LittleEndian(original.AsSpan(original.Length - 8));
            int footerStart = original.Length - 8 - footerLength;
            string progress = "";
            int rejected = 0;
            Watched(() => progress, () =>
            {
                string path = _directory.File("mutated.parquet");
                // The footer, and the first page header (right after PAR1; its first 48 bytes).
                foreach (int at in Enumerable.Range(footerStart, footerLength).Concat(Enumerable.Range(4, 48)))
                {
                    for (int nibble = 0; nibble < 32; nibble++)
                    {
                        byte[] input = (byte[])original.Clone();
                        input[at] = nibble < 16 ? (byte)((input[at] & 0xF0) | nibble) : (byte)((input[at] & 0x0F) | ((nibble - 16) << 4));
                        if (input[at] == original[at])
                        {
                            continue;
                        }

                        progress = $"byte {at} of {original.Length} set to 0x{input[at]:X2} (was 0x{original[at]:X2})";
                        File.WriteAllBytes(path, input);
                        try
                        {
                            double[] read = Read(path);
                            Assert.True(read.All(double.IsFinite), progress);
                        }
                        catch (DistalException e)
                        {
                            Assert.True(e.Kind == FailureKind.Input && !e.Message.Contains('\n'), $"{progress}: {e.Kind}: {e.Message}");
                            rejected++;
                        }
                    }
                }
            });
            Assert.True(rejected > 0);
        }
    }

    private static double[] Read(string path) => ParquetFormat.Instance.ReadShare<double>(path, 0, 1, TableReadOptions.Default).Span.ToArray();

    private static void AssertFailsInOneLine(string path, string cause)
    {
        DistalException? error = null;
        Watched(() => path, () => error = Assert.Throws<DistalException>(() => Read(path)));
        Assert.Equal(FailureKind.Input, error!.Kind);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Contains(cause, StringComparison.Ordinal), error.Message);
    }

    /// <summary>Runs <paramref name="body"/> on its own thread; a run past the limit fails, naming where it was.</summary>
    private static void Watched(Func<string> where, Action body)
    {
        Task task = Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.True(task.Wait(Limit) || task.IsCompleted, $"no answer within {Limit.TotalSeconds} s (a hang) at {where()}");
        task.GetAwaiter().GetResult();
    }

    private string Save(string name, byte[] bytes)
    {
        string path = _directory.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A DATA_PAGE header: PLAIN values, RLE levels, uncompressed size = the page's 8-byte doubles.</summary>
    private static byte[] PageHeader(int values, int compressedSize) => new ThriftWriter().Begin()
        .Int(1, 0).Int(2, 8 * values).Int(3, compressedSize)
        .Field(5, ThriftWriter.Struct).Begin().Int(1, values).Int(2, 0).Int(3, 3).Int(4, 3).End()
        .End().ToArray();

    /// <summary>
    /// A Parquet file of one required DOUBLE column "x" holding <see cref="Values"/> in one PLAIN, uncompressed data page
    /// after <paramref name="pageHeader"/>. The column chunk's data page offset is 4 (right after PAR1), or what
    /// <paramref name="dataPageOffset"/> makes of the file's length.
    /// </summary>
    private static byte[] HandMade(byte[] pageHeader, Func<long, long>? dataPageOffset)
    {
        byte[] data = new byte[8 * Values.Length];
        for (int i = 0; i < Values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(8 * i), Values[i]);
        }

        long offset = 4;
        while (true)
        {
            byte[] footer = Footer(offset, pageHeader.Length + data.Length);
            byte[] file = [.. "PAR1"u8, .. pageHeader, .. data, .. footer, .. BitConverter.GetBytes(footer.Length), .. "PAR1"u8];
            long wanted = dataPageOffset?.Invoke(file.Length) ?? 4;
            if (wanted == offset)
            {
                return file;
            }

            offset = wanted;
        }
    }

    private static byte[] Footer(long offset, long chunkLength) => new ThriftWriter().Begin()
        .Int(1, 1)
        .ListHeader(2, ThriftWriter.Struct, 2)
            .Begin().String(4, "schema").Int(5, 1).End()
            .Begin().Int(1, 5).Int(3, 0).String(4, "x").End()
        .Int(3, Values.Length, ThriftWriter.I64)
        .ListHeader(4, ThriftWriter.Struct, 1).Begin()
            .ListHeader(1, ThriftWriter.Struct, 1).Begin()
                .Int(2, offset, ThriftWriter.I64)
                .Field(3, ThriftWriter.Struct).Begin()
                    .Int(1, 5)
                    .ListHeader(2, ThriftWriter.I32, 1).Element(0)
                    .ListHeader(3, ThriftWriter.Binary, 1).Bytes("x"u8.ToArray())
                    .Int(4, 0)
                    .Int(5, Values.Length, ThriftWriter.I64)
                    .Int(6, chunkLength, ThriftWriter.I64)
                    .Int(7, chunkLength, ThriftWriter.I64)
                    .Int(9, offset, ThriftWriter.I64)
                .End()
            .End()
            .Int(2, chunkLength, ThriftWriter.I64)
            .Int(3, Values.Length, ThriftWriter.I64)
        .End()
        .End().ToArray();
}
