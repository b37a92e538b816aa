using Distal.Algorithms;
using Distal.Tests.Infrastructure;

namespace Distal.Tests.Data;

/// <summary>
/// In-memory inputs that Distal documents as views, proven to be views: the table's span is the caller's memory, and
/// an online computation fed row-major memory allocates far less than the rows it reads.
/// </summary>
[Collection(nameof(RunsAlone))]
public sealed class NoCopyInputTests
{
    [Fact]
    public void Arrays_two_dimensional_arrays_memory_and_pointers_are_viewed_not_copied()
    {
        double[] flat = [1, 2, 3, 4, 5, 6];
        var fromArray = Table.FromArray(flat, 3, 2);
        flat[5] = 60;
        Assert.Equal(60, fromArray[2, 1]);
        Assert.True(fromArray.Span.Overlaps(flat));

        var grid = new float[,] { { 1, 2 }, { 3, 4 } };
        var fromGrid = Table.FromArray(grid);
        grid[1, 0] = 30;
        Assert.Equal(30, fromGrid[1, 0]);
        fromGrid[0, 1] = 20;
        Assert.Equal(20, grid[0, 1]);

        var memory = new Memory<double>(new double[10], 2, 6);
        var fromMemory = new Table<double>(memory, 2, 3);
        Assert.True(fromMemory.Span.Overlaps(memory.Span, out int offset) && offset == 0);

        unsafe
        {
            double* native = stackalloc double[4] { 1, 2, 3, 4 };
            var fromPointer = Table.FromPointer(native, 2, 2);
            native[3] = 40;
            Assert.Equal(40, fromPointer[1, 1]);
        }

        // A slice of rows is a view too.
        Assert.True(flat.AsSpan().Overlaps(fromArray.SliceRows(1, 2).Span, out int sliceOffset) && sliceOffset == 2);
    }

    [Fact]
    public void Streaming_row_major_memory_allocates_much_less_than_the_rows()
    {
        const int Rows = 200_000;
        const int Columns = 4;
        var random = new Random(1);
        double[] values = [.. Enumerable.Range(0, Rows * Columns).Select(_ => random.NextDouble())];
        var online = new Covariance().CreateOnline();
        online.Add(new ReadOnlyMemory<double>(values, 0, 1000 * Columns), Columns);

        // After a warm-up chunk (partial created, code jitted), adding 6.4 MB of rows must not copy them.
        long before = GC.GetTotalAllocatedBytes(precise: true);
        online.Add(new ReadOnlyMemory<double>(values, 1000 * Columns, (Rows - 1000) * Columns), Columns);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(allocated < (long)Rows * Columns * sizeof(double) / 8, $"{allocated} bytes allocated while adding {Rows * Columns * sizeof(double)} bytes of rows");
        Assert.Equal(Rows, online.RowsSeen);
    }
}
