using Sensing.Core;

namespace Sensing.Recordings.Tests.Csv;

/// <summary>Which column is which: headers in any order and case, header-less files, magnitude-only files.</summary>
public sealed class CsvColumnTests : CsvFiles
{
    [Theory]
    [InlineData("Time (ms),X,Y,Z", "{t},{x},{y},{z}")]
    [InlineData("time,x,y,z", "{t},{x},{y},{z}")]
    [InlineData("z,time,y,x", "{z},{t},{y},{x}")]
    [InlineData("TIMESTAMP;Acc_X;Acc_Y;Acc_Z", "{t};{x};{y};{z}")]
    [InlineData("time,gFx,gFy,gFz,TgF", "{t},{x},{y},{z},1.0")]
    [InlineData("\"x axis\"\t\"y axis\"\t\"z axis\"\t\"Time\"", "{x}\t{y}\t{z}\t{t}")]
    public void Columns_are_found_by_name_in_any_order_case_and_delimiter(string header, string pattern)
    {
        var rows = Enumerable.Range(0, 100).Select(i => pattern
            .Replace("{t}", (i * 20).ToString(), StringComparison.Ordinal)
            .Replace("{x}", F(Ax(i)), StringComparison.Ordinal)
            .Replace("{y}", "-0.2", StringComparison.Ordinal)
            .Replace("{z}", "0.97", StringComparison.Ordinal));
        var path = Write("columns.csv", header, rows);

        using var reader = Open(path);
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(100, samples.Count);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * 20_000L), samples.Time);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (float)Ax(i)), samples.X);
        Assert.All(samples.Y, y => Assert.Equal(-0.2f, y));
        Assert.All(samples.Z, z => Assert.Equal(0.97f, z));
        Assert.Equal(TimeUnit.Milliseconds, reader.Info.TimeUnit);
        Assert.Equal(AccelerationUnit.G, reader.Info.Units);
        Assert.Equal(RecordingClock.Relative, reader.Info.Clock);
    }

    [Fact]
    public void A_file_without_header_is_read_with_the_given_columns_skipping_dashes()
    {
        var rows = Enumerable.Range(0, 50).Select(i => $"{i * 10},walking,{F(Ax(i))},-0.2,0.97");
        var path = Write("no-header.csv", rows);

        var samples = Read(path, new RecordingOptions { Columns = ["time", "-", "x", "y", "z"] });

        Assert.Equal(50, samples.Count);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => i * 10_000L), samples.Time);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (float)Ax(i)), samples.X);
    }

    [Fact]
    public void Given_columns_also_apply_over_a_header_line_which_is_skipped()
    {
        var path = Write("renamed.csv", "t_ms,a,b,c", Rows(30, i => (i * 10).ToString()));

        var samples = Read(path, new RecordingOptions { Columns = ["time", "x", "y", "z"] });

        Assert.Equal(30, samples.Count);
        Assert.Equal(0.97f, samples.Z[0]);
    }

    [Fact]
    public void A_file_without_header_and_without_columns_is_refused_with_advice()
    {
        var path = Write("bare.csv", Rows(10, i => (i * 10).ToString()));

        var ex = Assert.Throws<RecordingFormatException>(() => Read(path));

        Assert.Equal(1, ex.Line);
        Assert.StartsWith($"{path}:1: the first line has no header", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--columns", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(';')]
    [InlineData('\t')]
    public void Decimal_commas_are_read_where_the_delimiter_is_not_a_comma(char delimiter)
    {
        // As a spreadsheet in much of Europe saves it: "Zeit;X;Y;Z" with 0,020;0,0674;...
        var rows = Enumerable.Range(0, 100).Select(i => string.Join(delimiter, $"{i * 0.02:0.000}", F(Ax(i)), "-0.2", "0.97").Replace('.', ','));
        var path = Write("comma.csv", string.Join(delimiter, "Time (s)", "X", "Y", "Z"), rows);

        using var reader = Open(path);
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(100, samples.Count);
        Assert.Equal(20_000L, samples.Time[1]);
        Assert.Equal((float)Ax(7), samples.X[7]);
        Assert.Equal(-0.2f, samples.Y[7]);
        Assert.Contains("numbers written with a decimal comma", reader.Info.Notes);
    }

    [Fact]
    public void Decimal_commas_are_read_beside_a_date_time_whose_seconds_have_a_point()
    {
        // 2016-02-25 14:23:00.040;0,131;-0,9;0,2: the point is the time's, the commas are the values'.
        var rows = Enumerable.Range(0, 100).Select(i => $"2016-02-25 14:23:{i * 0.04:00.000};" + string.Join(';', F(Ax(i)), "-0.2", "0.97").Replace('.', ','));
        var path = Write("comma-iso.csv", "time;x;y;z", rows);

        using var reader = Open(path, new RecordingOptions { TimeUnit = TimeUnit.Iso });
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(100, samples.Count);
        Assert.Equal(40_000L, samples.Time[1] - samples.Time[0]);
        Assert.Equal((float)Ax(7), samples.X[7]);
        Assert.Contains("numbers written with a decimal comma", reader.Info.Notes);
    }

    [Fact]
    public void A_magnitude_only_recording_puts_the_magnitude_in_x()
    {
        var rows = Enumerable.Range(0, 40).Select(i => $"{i * 20},{F(i % 2 == 0 ? 1.02 : -0.98)}");
        var path = Write("magnitude.csv", "time,magnitude", rows);

        using var reader = Open(path);
        var block = new SampleBlock(64);
        Assert.True(reader.ReadBlock(block));

        Assert.False(reader.Info.HasAxes);
        Assert.False(block.HasAxes);
        Assert.Equal(40, block.Count);
        Assert.Equal(1.02f, block.X[0]);
        Assert.Equal(0.98f, block.X[1]); // a magnitude has no sign
        Assert.True(block.Y.ToArray().All(v => v == 0) && block.Z.ToArray().All(v => v == 0));
    }

    [Fact]
    public void Axes_win_over_a_magnitude_column_when_both_are_present()
    {
        var rows = Enumerable.Range(0, 20).Select(i => $"{i * 20},{F(Ax(i))},0,1,5");
        var path = Write("both.csv", "time,x,y,z,vm", rows);

        using var reader = Open(path);
        var samples = RecordedSamples.ReadAll(reader);

        Assert.True(reader.Info.HasAxes);
        Assert.Equal(1f, samples.Z[3]);
    }
}
