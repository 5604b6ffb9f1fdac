namespace Sensing.Recordings.Tests.Csv;

/// <summary>Bad input fails with a message naming the file and line; empty input is not an error.</summary>
public sealed class CsvMalformedTests : CsvFiles
{
    [Theory]
    [InlineData(5, "0.1,abc,0.9", "column y is not a number: 'abc'")] // within the rows that decide the units
    [InlineData(5, "0.1,,0.9", "column y is empty")]
    [InlineData(200, "0.1,0.2", "expected at least 4 fields separated by ',', found 3")]
    [InlineData(5, "NaN,0.2,0.9", "column x is not a number: 'NaN'")]
    public void A_bad_row_among_the_first_names_the_file_the_line_and_the_problem(int badRow, string badValues, string problem)
    {
        var rows = Rows(1000, i => (i * 20).ToString()).ToList();
        rows[badRow] = $"{badRow * 20},{badValues}";
        var path = Write("bad.csv", "time,x,y,z", rows);

        var ex = Assert.Throws<RecordingFormatException>(() => Read(path));

        Assert.Equal(path, ex.FilePath);
        Assert.Equal(badRow + 2, ex.Line);
        Assert.StartsWith($"{path}:{badRow + 2}: {problem}", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cut.csv")]
    [InlineData("cut.csv.gz")]
    public void A_file_cut_short_inside_its_last_row_keeps_the_rows_before_and_says_so(string name)
    {
        // As a copy or a logger that stopped mid-row leaves it: the last line short of fields, no newline after it.
        var rows = Rows(300, i => (i * 20).ToString()).Append("6000,0.01").ToList();
        var path = Write(name, "time,x,y,z", rows);
        var complete = File.ReadAllBytes(path);
        if (!name.EndsWith(".gz", StringComparison.Ordinal))
        {
            File.WriteAllBytes(path, complete[..^1]); // the final newline too
        }

        using var reader = Open(path);
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(300, samples.Count);
        Assert.Contains(reader.Info.Notes, n => n.StartsWith("the last line (302) is cut short and was left out: 6000,0.01", StringComparison.Ordinal));
    }

    [Fact]
    public void A_whole_last_row_with_a_bad_cell_is_a_bad_row_not_a_cut()
    {
        var rows = Rows(300, i => (i * 20).ToString()).Append("6000,0.01,oops,0.9").ToList();
        var path = Write("bad-last.csv", "time,x,y,z", rows);

        using var reader = Open(path);
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(300, samples.Count);
        Assert.StartsWith("line 302: column y is not a number: 'oops'", Assert.Single(reader.Timeline.Locations), StringComparison.Ordinal);
    }

    [Fact]
    public void A_binary_file_named_csv_is_refused_as_not_text_without_echoing_it()
    {
        var path = Write("binary.csv", []);
        var bytes = Enumerable.Range(0, 600).Select(i => (byte)((i * 37) % 256)).ToArray();
        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<RecordingFormatException>(() => Read(path));

        Assert.Equal($"{path}:1: not a text file: line 1 holds binary data (a recording of another format named .csv?)", ex.Message);
    }

    [Fact]
    public void A_header_in_a_windows_code_page_is_still_read()
    {
        // "Time (s);X (m/s²);Y (m/s²);Z (m/s²)" in Windows-1252: each ² is one byte that is not UTF-8.
        var path = Write("latin1.csv", []);
        var header = "Time (s);X (m/s\u00b2);Y (m/s\u00b2);Z (m/s\u00b2)\n".Select(c => (byte)c);
        var rows = Enumerable.Range(0, 100).SelectMany(i => System.Text.Encoding.ASCII.GetBytes($"{i * 0.02:0.00};0.1;-1.9;9.6\n"));
        File.WriteAllBytes(path, header.Concat(rows).ToArray());

        var samples = Read(path);

        Assert.Equal(100, samples.Count);
        Assert.Equal(9.6f / 9.80665f, samples.Z[0], 1e-6f);
    }

    [Theory]
    [InlineData("0.1,abc,0.9", "column y is not a number: 'abc'")]
    [InlineData("0.1,0.2", "expected at least 4 fields separated by ',', found 3")]
    public void A_bad_row_after_the_first_is_skipped_and_named_and_the_rows_around_it_stand(string badValues, string problem)
    {
        var rows = Rows(1000, i => (i * 20).ToString()).ToList();
        rows[900] = $"{900 * 20},{badValues}";
        rows[950] = "time,x,y,z"; // a header written again
        var path = Write("glitch.csv", "time,x,y,z", rows);

        using var reader = Open(path);
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(998, samples.Count);
        Assert.Equal(2, reader.Timeline.CorruptUnits);
        Assert.StartsWith($"line 902: {problem}", reader.Timeline.Locations[0], StringComparison.Ordinal);
        Assert.EndsWith("; row skipped", reader.Timeline.Locations[0], StringComparison.Ordinal);
        Assert.StartsWith("line 952: time is not a number: 'time'", reader.Timeline.Locations[1], StringComparison.Ordinal);
        Assert.Contains(reader.Info.Notes, n => n.StartsWith($"skipped 2 malformed row(s), the first at line 902: {problem}", StringComparison.Ordinal));
        Assert.Equal(901 * 20_000L, samples.Time[900]); // the row after the bad one, in its place
    }

    [Fact]
    public void More_bad_rows_than_one_in_a_hundred_is_no_glitch_and_fails_at_the_first_beyond()
    {
        var rows = Rows(3000, i => (i * 20).ToString()).Select((r, i) => i >= 1000 && i % 5 == 0 ? $"{i * 20},x,y,z" : r).ToList();
        var path = Write("bad-half.csv", "time,x,y,z", rows);

        var ex = Assert.Throws<RecordingFormatException>(() => Read(path));

        Assert.Contains("column x is not a number: 'x'", ex.Message, StringComparison.Ordinal);
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
