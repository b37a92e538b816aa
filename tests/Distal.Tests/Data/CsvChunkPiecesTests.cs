using System.Globalization;
using System.Text;
using Distal.Data;

namespace Distal.Tests.Data;

/// <summary>
/// Streaming a CSV share in parallel pieces, each on its own thread (what `distal covariance` and `low-order-moments`
/// do by default on several threads): every
/// row comes out exactly once with the bits of an in-memory read, and an error is the error of a one-thread read,
/// wherever in the pieces it lies.
/// </summary>
public sealed class CsvChunkPiecesTests : IDisposable
{
    private const int Rows = 600;

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    /// <summary>Row r starts with r, then three values with 17 significant digits; the line <paramref name="badRow"/> (0-based) replaced.</summary>
    private string Write(string name, int badRow = -1, string bad = "")
    {
        var random = new Random(5);
        var text = new StringBuilder();
        for (int r = 0; r < Rows; r++)
        {
            text.Append(r == badRow ? bad : string.Create(CultureInfo.InvariantCulture,
                $"{r},{(random.NextDouble() - 0.5) * 100:G17},{random.NextDouble() * 1e-3:G17},{-random.NextDouble():G17}")).Append('\n');
        }

        return _directory.Write(name, text.ToString());
    }

    /// <summary>Copies of the chunks each piece streamed, in piece order (a piece's chunks are handed out on its own thread).</summary>
    private static List<Table<double>> Chunks(string path, int share, int shares, int chunkRows, int threads)
    {
        var pieces = new List<Table<double>>[threads];
        for (int i = 0; i < threads; i++)
        {
            pieces[i] = [];
        }

        CsvChunkReader.StreamPieces<double>(path, share, shares, chunkRows, threads, (i, chunk) => pieces[i].Add(new Table<double>(chunk.Span.ToArray(), chunk.Rows, chunk.Columns)), minimumBytesPerThread: 1024);
        return [.. pieces.SelectMany(p => p)];
    }

    [Theory]
    [InlineData(1, 0, 1, 7)]
    [InlineData(2, 0, 1, 7)]
    [InlineData(3, 0, 1, 50)]
    [InlineData(2, 1, 2, 7)]
    [InlineData(4, 0, 1, 1000)]
    public void Every_row_comes_once_with_the_in_memory_bits(int threads, int share, int shares, int chunkRows)
    {
        string path = Write("p.csv");
        Table<double> whole = CsvReader.ReadShare<double>(path, share, shares);
        var seen = new bool[Rows];
        int count = 0;
        foreach (Table<double> chunk in Chunks(path, share, shares, chunkRows, threads))
        {
            Assert.InRange(chunk.Rows, 1, chunkRows);
            for (int r = 0; r < chunk.Rows; r++)
            {
                int row = (int)chunk[r, 0];
                Assert.False(seen[row], $"row {row} twice");
                seen[row] = true;
                count++;
                int inWhole = row - (int)whole[0, 0];
                for (int c = 0; c < 4; c++)
                {
                    Assert.Equal(BitConverter.DoubleToInt64Bits(whole[inWhole, c]), BitConverter.DoubleToInt64Bits(chunk[r, c]));
                }
            }
        }

        Assert.Equal(whole.Rows, count);
    }

    [Theory]
    [InlineData(570, "1,2,x,4")]
    [InlineData(20, "1,2,3")]
    [InlineData(580, "1,2,3")]
    [InlineData(590, "1,2,3,4,5")]
    public void An_error_anywhere_is_the_one_thread_error(int badRow, string bad)
    {
        string path = Write("e.csv", badRow, bad);
        var expected = Assert.Throws<DataFormatException>(() => CsvChunkReader.ReadChunks<double>(path, 0, 1, 7).ToList());
        var actual = Assert.Throws<DataFormatException>(() => Chunks(path, 0, 1, 7, 3));
        Assert.Equal(expected.Message, actual.Message);
        Assert.Contains($":{badRow + 1}:", actual.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_piece_narrower_than_the_first_is_the_one_thread_width_error()
    {
        // Every row of the last of three pieces has 3 fields (the last value blanked, so no byte moves): that piece is
        // consistent on its own, and only the pieces disagree.
        string path = Write("narrow.csv");
        byte[] bytes = File.ReadAllBytes(path);
        int lastPiece = Array.IndexOf(bytes, (byte)'\n', (int)(bytes.Length * 2L / 3) - 1) + 1;
        int firstNarrow = bytes.AsSpan(0, lastPiece).Count((byte)'\n');
        var lines = File.ReadAllLines(path);
        for (int r = firstNarrow; r < Rows; r++)
        {
            int comma = lines[r].LastIndexOf(',');
            lines[r] = lines[r][..comma] + new string(' ', lines[r].Length - comma);
        }

        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        var expected = Assert.Throws<DataFormatException>(() => CsvChunkReader.ReadChunks<double>(path, 0, 1, 1000).ToList());
        var actual = Assert.Throws<DataFormatException>(() => Chunks(path, 0, 1, 1000, 3));
        Assert.Equal(expected.Message, actual.Message);
        Assert.Contains($":{firstNarrow + 1}:", actual.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_first_of_two_errors_in_different_pieces_is_reported()
    {
        var lines = File.ReadAllLines(Write("two.csv"));
        lines[100] = "1,2,bad,4";
        lines[500] = "1,2,worse,4";
        string path = _directory.Write("two.csv", string.Join('\n', lines) + "\n");
        var actual = Assert.Throws<DataFormatException>(() => Chunks(path, 0, 1, 7, 3));
        Assert.StartsWith($"{path}:101:5: 'bad'", actual.Message, StringComparison.Ordinal);
    }
}
