using System.Globalization;
using System.Text;
using Distal.Communication;
using Distal.Data;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Data;

/// <summary>
/// CSV that can only be read front to back (a FIFO here, as a pipe, standard input or &lt;(zcat f) are): read whole,
/// it equals the same text read from a file; split across ranks, rank 0 reads it and every rank gets its rows.
/// </summary>
public sealed class SequentialInputTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Csv_from_a_pipe_equals_the_same_text_from_a_file()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // About 3 MiB: lines cross the 1 MiB read chunks; a byte order mark and no final newline.
        string text = "\uFEFF" + Rows(120_000).TrimEnd('\n');
        string file = Path.Combine(_directory.Path, "rows.csv");
        File.WriteAllText(file, text, new UTF8Encoding(false));
        string fifo = Path.Combine(_directory.Path, "rows-fifo");
        var writer = Fifo.CreateWithWriter(fifo, text);
        var piped = DataFile.Read<double>(fifo);
        Assert.True(writer.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        var expected = DataFile.Read<double>(file);
        Assert.Equal(expected.Rows, piped.Rows);
        Assert.Equal(3, piped.Columns);
        Compare.Bitwise(expected.Span, piped.Span, "pipe vs file");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public void A_pipe_split_across_ranks_gives_each_rank_its_rows(int ranks)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        const int Count = 1003;
        string fifo = Path.Combine(_directory.Path, $"split-{ranks}");
        var writer = Fifo.CreateWithWriter(fifo, Rows(Count));
        var tables = LocalWorld.Run(ranks, c => DataInput.Read<double>(c, [fifo]));
        Assert.True(writer.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        for (int r = 0; r < ranks; r++)
        {
            Assert.Equal((int)((long)Count * (r + 1) / ranks) - (int)((long)Count * r / ranks), tables[r].Rows);
            Assert.Equal(3, tables[r].Columns);
        }

        double[] all = tables.SelectMany(t => t.Span.ToArray()).ToArray();
        Assert.Equal(Count * 3, all.Length);
        for (int i = 0; i < Count; i++)
        {
            Assert.Equal([i, i * 0.5, -i], all[(i * 3)..((i * 3) + 3)]);
        }
    }

    [Fact]
    public void A_bad_field_in_a_pipe_is_the_same_input_error_on_every_rank()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        string fifo = Path.Combine(_directory.Path, "bad");
        var writer = Fifo.CreateWithWriter(fifo, "1,2\n3,4\n5,oops\n");
        var messages = new string?[3];
        Assert.Throws<DistalException>(() => LocalWorld.Run(3, c =>
        {
            try
            {
                return DataInput.Read<double>(c, [fifo]);
            }
            catch (DistalException e)
            {
                messages[c.Rank] = $"{e.Kind}: {e.Message}";
                throw;
            }
        }));
        writer.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Single(messages.Distinct());
        Assert.StartsWith("Input: ", messages[0], StringComparison.Ordinal);
        Assert.Contains("bad:3:3: 'oops'", messages[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_share_of_a_pipe_by_byte_range_is_a_usage_error()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        string fifo = Path.Combine(_directory.Path, "share");
        var writer = Fifo.CreateWithWriter(fifo, "1,2\n");
        var error = Assert.Throws<DistalException>(() => DataFile.ReadShare<double>(fifo, 1, 2));
        writer.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.Contains("cannot be split into 2 shares", error.Message, StringComparison.Ordinal);
    }

    private static string Rows(int count)
    {
        var text = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i},{i * 0.5},{-i}\n");
        }

        return text.ToString();
    }
}
