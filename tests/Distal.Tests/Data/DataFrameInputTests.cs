using Distal.Algorithms;
using Distal.DataFrames;
using Distal.Tests.Infrastructure;
using Microsoft.Data.Analysis;

namespace Distal.Tests.Data;

/// <summary>DataFrame numeric columns as tables: every numeric column type, selection by name, and the errors.</summary>
public sealed class DataFrameInputTests
{
    private static DataFrame Frame(int rows)
    {
        var random = new Random(rows);
        double[] d = [.. Enumerable.Range(0, rows).Select(_ => (random.NextDouble() - 0.5) * 1e3)];
        return new DataFrame(
            new DoubleDataFrameColumn("d", d),
            new SingleDataFrameColumn("f", d.Select(v => (float)v)),
            new Int64DataFrameColumn("l", d.Select(v => (long)(v * 1e12))),
            new Int32DataFrameColumn("i", d.Select(v => (int)v)),
            new Int16DataFrameColumn("s", d.Select(v => (short)v)),
            new ByteDataFrameColumn("b", d.Select(v => (byte)Math.Abs(v % 256))),
            new UInt64DataFrameColumn("ul", d.Select(v => (ulong)Math.Abs(v * 1e9))),
            new DecimalDataFrameColumn("m", d.Select(v => (decimal)v)),
            new StringDataFrameColumn("name", d.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void Every_numeric_column_type_converts_exactly_in_the_order_asked()
    {
        var frame = Frame(257);
        string[] names = ["m", "d", "f", "l", "i", "s", "b", "ul"];
        var table = frame.ToTable<double>(names);
        Assert.Equal((257, 8), (table.Rows, table.Columns));
        for (int r = 0; r < table.Rows; r++)
        {
            for (int c = 0; c < names.Length; c++)
            {
                // Each source value converted once to double (exact for these, decimal rounded once).
                double expected = Convert.ToDouble(frame.Columns[names[c]][r], System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal(expected, table[r, c]);
            }
        }

        var single = frame.ToTable<float>(["d", "f"]);
        for (int r = 0; r < single.Rows; r++)
        {
            Assert.Equal((float)(double)frame.Columns["d"][r]!, single[r, 0]);
            Assert.Equal((float)frame.Columns["f"][r]!, single[r, 1]);
        }
    }

    [Fact]
    public void A_frame_feeds_an_algorithm_like_the_same_table()
    {
        var frame = Frame(500);
        string[] names = ["d", "i", "s"];
        var table = frame.ToTable<double>(names);
        var fromFrame = new Covariance().Compute(frame.ToTable<double>(names)).Covariance!.Span.ToArray();
        Compare.Bitwise(new Covariance().Compute(table).Covariance!.Span.ToArray(), fromFrame, "covariance");

        // Distributed: each rank converts its own frame.
        var parts = Spmd.RunLocal(3, s => new Covariance { Distributed = true }
            .Compute(Frame(500).ToTable<double>(names).SliceRows(s.Rank * 150, s.Rank == 2 ? 200 : 150)).Covariance!.Span.ToArray());
        Assert.All(parts, p => Compare.Relative(fromFrame, p, 1e-12, what: "distributed"));
    }

    [Fact]
    public void Text_columns_missing_values_unknown_names_and_float_overflow_are_clear_errors()
    {
        var frame = Frame(10);
        Assert.Equal("column 'name' is not numeric (String): select numeric columns by name", Assert.Throws<DistalException>(() => frame.ToTable<double>()).Cause);
        var unknown = Assert.Throws<DistalException>(() => frame.ToTable<double>(["d", "nope"]));
        Assert.Equal(FailureKind.Usage, unknown.Kind);
        Assert.StartsWith("no column 'nope' (the frame has: d, f, l", unknown.Cause, StringComparison.Ordinal);

        var gaps = new DataFrame(new DoubleDataFrameColumn("x", [1.0, null, 3.0]));
        Assert.Equal("column 'x', row 1: missing value", Assert.Throws<DistalException>(() => gaps.ToTable<double>()).Cause);
        var huge = new DataFrame(new DoubleDataFrameColumn("x", [1.0, 1e300]));
        Assert.Equal("column 'x', row 1: 1E+300 does not fit in float", Assert.Throws<DistalException>(() => huge.ToTable<float>()).Cause);
        Assert.Equal(1e300, huge.ToTable<double>()[1, 0]);
    }
}
