using Sensing.Core;

namespace Sensing.Recordings.Tests.Csv;

/// <summary>Time units (given, named in the header, or detected) and acceleration units.</summary>
public sealed class CsvUnitTests : CsvFiles
{
    // 50 Hz written in each unit.
    public static TheoryData<TimeUnit, Func<int, string>> Times => new()
    {
        { TimeUnit.Seconds, i => F(i * 0.02) },
        { TimeUnit.Milliseconds, i => (i * 20).ToString() },
        { TimeUnit.Microseconds, i => (i * 20_000).ToString() },
        { TimeUnit.Nanoseconds, i => (i * 20_000_000L).ToString() },
    };

    [Theory]
    [MemberData(nameof(Times))]
    public void Numeric_times_in_every_unit_give_the_same_microseconds_given_or_detected(TimeUnit unit, Func<int, string> time)
    {
        var path = Write("times.csv", "time,x,y,z", Rows(300, time));

        foreach (var option in new[] { unit, TimeUnit.Auto })
        {
            using var reader = Open(path, new RecordingOptions { TimeUnit = option });
            var samples = RecordedSamples.ReadAll(reader);

            Assert.Equal(Enumerable.Range(0, 300).Select(i => i * 20_000L), samples.Time);
            Assert.Equal(unit, reader.Info.TimeUnit);
            Assert.Equal(50, reader.Timeline.MeasuredRateHz, 9);
        }
    }

    [Theory]
    [InlineData("time (s)", TimeUnit.Seconds)]
    [InlineData("Time (ms)", TimeUnit.Milliseconds)]
    [InlineData("timestamp_us", TimeUnit.Microseconds)]
    [InlineData("timestamp_ns", TimeUnit.Nanoseconds)]
    public void A_unit_named_in_the_header_wins_over_detection(string timeHeader, TimeUnit unit)
    {
        // Times 0,1,2,... would be detected as seconds; the header says otherwise.
        var path = Write("named.csv", $"{timeHeader},x,y,z", Rows(20, i => i.ToString()));

        using var reader = Open(path);
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(unit, reader.Info.TimeUnit);
        var perUnit = unit switch { TimeUnit.Seconds => 1_000_000, TimeUnit.Milliseconds => 1_000, TimeUnit.Microseconds => 1, _ => 0.001 };
        Assert.Equal((long)Math.Round(perUnit), samples.Time[1]);
    }

    [Theory]
    [InlineData(TimeUnit.Iso)]
    [InlineData(TimeUnit.Auto)]
    public void Local_date_times_are_read_as_wall_clock_times(TimeUnit option)
    {
        var start = new DateTime(2016, 2, 25, 14, 23, 56, 293, DateTimeKind.Unspecified);
        var path = Write("iso.csv", "time,x,y,z", Rows(100, i => start.AddMilliseconds(i * 20).ToString("yyyy-MM-dd HH:mm:ss.fff")));

        using var reader = Open(path, new RecordingOptions { TimeUnit = option });
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(TimeUnit.Iso, reader.Info.TimeUnit);
        Assert.Equal(RecordingClock.LocalUnspecified, reader.Info.Clock);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => RecordedSamples.Micros(start) + (i * 20_000L)), samples.Time);
    }

    [Fact]
    public void Iso_times_with_an_offset_are_instants_in_utc()
    {
        var path = Write("iso-offset.csv", "time,x,y,z", Rows(10, i => $"2016-02-25T14:23:56.{i * 20:000}+01:00"));

        using var reader = Open(path);
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(RecordingClock.UnixUtc, reader.Info.Clock);
        var utc = new DateTimeOffset(2016, 2, 25, 13, 23, 56, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000;
        Assert.Equal(utc + 40_000, samples.Time[2]);
    }

    [Fact]
    public void Epoch_milliseconds_are_kept_as_unix_time()
    {
        var path = Write("epoch.csv", "time,x,y,z", Rows(10, i => (1_700_000_000_000 + (i * 20)).ToString()));

        using var reader = Open(path);
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(RecordingClock.UnixUtc, reader.Info.Clock);
        Assert.Equal(1_700_000_000_020_000, samples.Time[1]);
    }

    [Theory]
    [InlineData(1.0, AccelerationUnit.G, 1.0)]
    [InlineData(1000.0, AccelerationUnit.MilliG, 1.0)]
    [InlineData(9.80665, AccelerationUnit.MetresPerSecondSquared, 1.0)]
    [InlineData(8192.0, AccelerationUnit.Counts, 8192.0)]
    public void Acceleration_units_are_detected_from_gravity_and_converted_to_g(double scale, AccelerationUnit unit, double countsPerG)
    {
        var path = Write("units.csv", "time,x,y,z", Rows(100, i => (i * 20).ToString(), scale));

        using var reader = Open(path);
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(unit, reader.Info.Units);
        Assert.Equal(countsPerG, reader.Info.CountsPerG);
        Assert.Equal(0.97, samples.Z[5], 5);
        Assert.Equal(-0.2, samples.Y[5], 5);
        Assert.Equal(Ax(7), samples.X[7], 5);
    }

    [Theory]
    [InlineData("g", 1.0, AccelerationUnit.G)]
    [InlineData("mg", 1000.0, AccelerationUnit.MilliG)]
    [InlineData("m/s^2", 9.80665, AccelerationUnit.MetresPerSecondSquared)]
    public void Acceleration_units_named_in_the_header_are_used(string unit, double scale, AccelerationUnit expected)
    {
        // Values of 4 g so detection alone would guess raw counts: a header unit must decide.
        var path = Write("named-units.csv", $"time,x ({unit}),y ({unit}),z ({unit})", Rows(50, i => (i * 20).ToString(), scale * 4));

        using var reader = Open(path);
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(expected, reader.Info.Units);
        Assert.Equal(0.97 * 4, samples.Z[0], 5);
    }

    [Theory]
    [InlineData(AccelerationUnit.G, 1.0)]
    [InlineData(AccelerationUnit.MilliG, 1000.0)]
    [InlineData(AccelerationUnit.MetresPerSecondSquared, 9.80665)]
    public void Acceleration_units_given_as_options_are_used(AccelerationUnit unit, double scale)
    {
        var path = Write("given-units.csv", "time,x,y,z", Rows(50, i => (i * 20).ToString(), scale * 4));

        using var reader = Open(path, new RecordingOptions { Units = unit });
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(unit, reader.Info.Units);
        Assert.Equal(0.97 * 4, samples.Z[0], 5);
    }

    [Fact]
    public void Counts_per_g_given_is_used_as_the_scale()
    {
        // 4096 counts per g with the wrist at rest would be guessed as 4096 too; 1000 per g would be guessed as mg.
        var path = Write("counts.csv", "Time (ms),X,Y,Z", Rows(50, i => (i * 80).ToString(), 1000));

        using var reader = Open(path, new RecordingOptions { CountsPerG = 1000 });
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(AccelerationUnit.Counts, reader.Info.Units);
        Assert.Equal(1000, reader.Info.CountsPerG);
        Assert.Equal(0.97f, samples.Z[0]);
    }

    [Fact]
    public void Guessed_counts_are_said_in_the_notes()
    {
        var path = Write("bangle.csv", "Time (ms),X,Y,Z", Rows(50, i => (i * 80).ToString(), 8192));

        using var reader = Open(path);
        RecordedSamples.ReadAll(reader);

        Assert.Contains(reader.Info.Notes, n => n.Contains("raw counts, 8192 per g", StringComparison.Ordinal));
    }
}
