namespace Sensing.Recordings.Tests.Csv;

/// <summary>Measured rate, jitter, gaps, backward steps, clock resets and an imposed rate, as the CSV reader reports them.</summary>
public sealed class CsvTimelineTests : CsvFiles
{
    [Fact]
    public void Eighty_hertz_rounded_to_whole_milliseconds_measures_80_not_83()
    {
        // floor(i × 12.5): intervals alternate 12 and 13 ms; the median interval would say 83.3 Hz.
        var path = Write("80hz.csv", "Time (ms),X,Y,Z", Rows(801, i => ((long)Math.Floor(i * 12.5)).ToString()));

        using var reader = Open(path);
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(new long[] { 12_000, 13_000 }, Intervals(samples).Distinct().Order());
        Assert.Equal(80.0, reader.Timeline.MeasuredRateHz, 9);
        Assert.Equal(10.0, reader.Timeline.DurationSeconds, 9);
        Assert.False(reader.Timeline.HasAnomalies);
    }

    [Fact]
    public void Jitter_is_kept_as_recorded_and_averages_out_of_the_rate()
    {
        // 50 Hz with up to ±4 ms of scheduling jitter (fixed seed): never backwards, never a gap.
        var random = new Random(20240305);
        var times = Enumerable.Range(0, 1000).Select(i => (i * 20) + random.Next(-4, 5)).ToArray();
        var path = Write("jitter.csv", "time (ms),x,y,z", Rows(1000, i => times[i].ToString()));

        using var reader = Open(path);
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(times.Select(t => (t - times[0]) * 1000L), samples.Time);
        Assert.InRange(reader.Timeline.MeasuredRateHz, 49.9, 50.1);
        Assert.False(reader.Timeline.HasAnomalies, reader.Timeline.Describe());
    }

    [Fact]
    public void Gaps_are_counted_located_and_left_out_of_the_rate()
    {
        // 50 Hz; 10 s missing after row 99 (line 101) and 3 s after row 199 (line 201).
        static long Time(int i) => (i * 20) + (i >= 100 ? 10_000 : 0) + (i >= 200 ? 3_000 : 0);
        var path = Write("gaps.csv", "time (ms),x,y,z", Rows(300, i => Time(i).ToString()));

        using var reader = Open(path);
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(300, samples.Count);
        Assert.Equal(2, reader.Timeline.Gaps);
        Assert.Equal(13.04, reader.Timeline.GapSeconds, 6);
        Assert.Equal(["line 102: gap of 10.02 s", "line 202: gap of 3.02 s"], reader.Timeline.Locations);
        Assert.Equal(50.0, reader.Timeline.MeasuredRateHz, 9);
        Assert.Equal(Time(299) * 1000, samples.Time[^1]);
    }

    [Fact]
    public void A_small_step_back_is_re_timed_just_after_the_previous_sample_and_reported_with_its_line()
    {
        var times = Enumerable.Range(0, 100).Select(i => i * 20L).ToArray();
        times[50] = times[49] - 5; // line 52: 5 ms before the row above
        var path = Write("back.csv", "time (ms),x,y,z", Rows(100, i => times[i].ToString()));

        using var reader = Open(path);
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(1, reader.Timeline.BackwardSteps);
        Assert.Equal(0, reader.Timeline.ClockResets);
        Assert.Equal("line 52: time went back 5 ms; re-timed after the previous sample", reader.Timeline.Locations.Single());
        Assert.Equal(samples.Time[49] + 1, samples.Time[50]);
        Assert.Equal(51 * 20_000L, samples.Time[51]); // the rows after it are untouched
    }

    [Fact]
    public void A_clock_reset_is_reported_with_its_line_and_becomes_a_gap()
    {
        // The logger restarted at row 60 (line 62) with its clock back at zero.
        var path = Write("reset.csv", "time (ms),x,y,z", Rows(120, i => ((i < 60 ? i + 1000 : i - 60) * 20).ToString()));

        using var reader = Open(path);
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(1, reader.Timeline.ClockResets);
        Assert.Equal("line 62: clock went back 21.18 s; treated as a gap", reader.Timeline.Locations.Single());
        Assert.True(Intervals(samples).All(d => d > 0), "times handed out never go back");
        Assert.Equal(2_000_001, samples.Time[60] - samples.Time[59]); // one gap threshold (2 s) later
        Assert.Equal(20_000, samples.Time[61] - samples.Time[60]);
        Assert.Equal(50.0, reader.Timeline.MeasuredRateHz, 9);
        Assert.Contains("1 clock reset(s) treated as gaps", reader.Timeline.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_given_rate_overrides_a_messy_time_column()
    {
        var path = Write("override.csv", "time (ms),x,y,z", Rows(100, i => (i * 37 % 500).ToString()));

        using var reader = Open(path, new RecordingOptions { RateHz = 25 });
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * 40_000L), samples.Time);
        Assert.False(reader.Timeline.HasAnomalies);
        Assert.Equal(25, reader.Timeline.MeasuredRateHz, 9);
    }

    [Fact]
    public void A_given_rate_makes_a_time_column_unnecessary()
    {
        var path = Write("no-time.csv", "x,y,z", Enumerable.Range(0, 10).Select(i => $"{F(Ax(i))},0,1"));

        var samples = Read(path, new RecordingOptions { RateHz = 12.5 });

        Assert.Equal(Enumerable.Range(0, 10).Select(i => i * 80_000L), samples.Time);
        Assert.Equal((float)Ax(9), samples.X[9]);
    }

    [Fact]
    public void A_given_rate_starts_from_the_first_date_time()
    {
        var start = new DateTime(2021, 6, 1, 8, 0, 0, DateTimeKind.Unspecified);
        var path = Write("iso-rate.csv", "time,x,y,z", Rows(10, i => start.AddSeconds(i).ToString("yyyy-MM-dd HH:mm:ss")));

        using var reader = Open(path, new RecordingOptions { RateHz = 10 });
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(Enumerable.Range(0, 10).Select(i => RecordedSamples.Micros(start) + (i * 100_000L)), samples.Time);
    }

    [Fact]
    public void A_longer_gap_threshold_turns_a_gap_into_continuous_time()
    {
        var path = Write("threshold.csv", "time (ms),x,y,z", Rows(20, i => ((i * 20) + (i >= 10 ? 3_000 : 0)).ToString()));

        using var strict = Open(path);
        RecordedSamples.ReadAll(strict);
        using var lenient = Open(path, new RecordingOptions { GapThreshold = TimeSpan.FromSeconds(5) });
        RecordedSamples.ReadAll(lenient);

        Assert.Equal(1, strict.Timeline.Gaps);
        Assert.Equal(0, lenient.Timeline.Gaps);
    }
}
