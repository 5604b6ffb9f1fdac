namespace Sensing.Recordings.Tests.Csv;

/// <summary>Bad input fails with a message naming the file and line; empty input is not an error.</summary>
public sealed class CsvMalformedTests : CsvFiles
{
    [Theory]
    [InlineData(5, "0.1,abc,0.9", "column y is not a number: 'abc'")] // within the rows held for detection
    [InlineData(900, "0.1,abc,0.9", "column y is not a number: 'abc'")] // long after them
    [InlineData(5, "0.1,,0.9", "column y is empty")]
    [InlineData(900, "0.1,0.2", "expected at least 4 fields separated by ',', found 3")]
    [InlineData(5, "NaN,0.2,0.9", "column x is not a number: 'NaN'")]
    public void A_bad_row_names_the_file_the_line_and_the_problem(int badRow, string badValues, string problem)
    {
        var rows = Rows(1000, i => (i * 20).ToString()).ToList();
        rows[badRow] = $"{badRow * 20},{badValues}";
        var path = Write("bad.csv", "time,x,y,z", rows);

        var ex = Assert.Throws<RecordingFormatException>(() => Read(path));

        Assert.Equal(path, ex.FilePath);
        Assert.Equal(badRow + 2, ex.Line);
        Assert.StartsWith($"{path}:{badRow + 2}: {problem}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_time_names_the_file_and_line()
    {
        var rows = Rows(20, i => (i * 20).ToString()).ToList();
        rows[7] = "soon,0,0,1";
        var path = Write("bad-time.csv", "time,x,y,z", rows);

        var ex = Assert.Throws<RecordingFormatException>(() => Read(path));

        Assert.Equal($"{path}:9: time is neither a number nor a date-time: 'soon'", ex.Message);
    }

    [Theory]
    [InlineData("time,x,y", "no column for z (and no magnitude column); header has [time, x, y]")]
    [InlineData("x,y,z", "no time column; header has [x, y, z]")]
    [InlineData("when,a,b,c", "no column for x, y, z (and no magnitude column)")]
    public void A_missing_column_is_refused_at_the_header_with_what_was_found(string header, string problem)
    {
        var path = Write("missing.csv", header, ["0,0,0,1", "20,0,0,1"]);

        var ex = Assert.Throws<RecordingFormatException>(() => Read(path));

        Assert.Equal(1, ex.Line);
        Assert.StartsWith($"{path}:1: {problem}", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("empty.csv", new string[0])]
    [InlineData("blank.csv", new[] { "", "  " })]
    [InlineData("header-only.csv", new[] { "time,x,y,z" })]
    [InlineData("header-only.csv.gz", new[] { "time,x,y,z" })]
    public void An_empty_or_header_only_file_has_no_samples_and_no_error(string name, string[] lines)
    {
        var path = Write(name, lines);

        using var reader = Open(path);
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(0, samples.Count);
        Assert.Equal(0, reader.Timeline.Samples);
        Assert.Equal(0, reader.Timeline.MeasuredRateHz);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var ex = Assert.Throws<RecordingFormatException>(() => Open("/nonexistent/folder/rec.csv"));

        Assert.Equal("/nonexistent/folder/rec.csv: file not found", ex.Message);
    }
}
