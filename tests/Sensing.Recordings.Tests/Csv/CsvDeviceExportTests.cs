using System.Globalization;
using Sensing.Core;

namespace Sensing.Recordings.Tests.Csv;

/// <summary>
/// CSV as devices and their software export it, read without options: ActiGraph (ActiLife's preamble), Empatica E4
/// (start and rate lines), an Android sensor log (the Oxford data set's), OMGUI / cwa-convert (a date-time and three
/// axes, no header).
/// </summary>
public sealed class CsvDeviceExportTests : CsvFiles
{
    private static string Preamble(string dateFormat = "M/d/yyyy", string startDate = "6/1/2016", string epoch = "00:00:00") => string.Join("\n",
        $"------------ Data File Created By ActiGraph GT3X+ ActiLife v6.13.3 Firmware v2.5.0 date format {dateFormat} at 30 Hz  Filter Normal -----------",
        "Serial Number: MOS2D12345678",
        "Start Time 10:00:00",
        $"Start Date {startDate}",
        $"Epoch Period (hh:mm:ss) {epoch}",
        "Download Time 11:22:33",
        "Download Date 6/2/2016",
        "Current Memory Address: 0",
        "Current Battery Voltage: 4.18     Mode = 12",
        "--------------------------------------------------");

    [Fact]
    public void An_actigraph_raw_export_takes_its_times_from_the_header_start_and_rate()
    {
        var rows = Enumerable.Range(0, 90).Select(i => $"{F(Ax(i))},-0.2,0.97");
        var path = Write("actigraph.csv", Preamble(), rows.Prepend("Accelerometer X,Accelerometer Y,Accelerometer Z"));

        using var reader = Open(path);
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(90, samples.Count);
        Assert.Equal(RecordingClock.LocalUnspecified, reader.Info.Clock);
        Assert.Equal(30, reader.Info.NominalRateHz);
        var start = (new DateTime(2016, 6, 1, 10, 0, 0).Ticks - DateTime.UnixEpoch.Ticks) / 10;
        Assert.Equal(start, samples.Time[0]);
        Assert.Equal(start + 1_000_000, samples.Time[30]);
        Assert.Equal((float)Ax(7), samples.X[7]);
        Assert.Equal(-0.2f, samples.Y[7]);
        Assert.Contains(reader.Info.Notes, n => n.Contains("ActiGraph CSV: sample times from 2016-06-01 10:00:00", StringComparison.Ordinal));
    }

    [Fact]
    public void An_actigraph_export_with_timestamps_in_a_day_first_format_reads_its_start_in_that_format()
    {
        // 13/1/2016 is 13 January: read month-first it is no date at all.
        var rows = Enumerable.Range(0, 60).Select(i => $"13/1/2016 10:00:{i / 30:00}.{i % 30 * 1000 / 30:000},{F(Ax(i))},-0.2,0.97");
        var path = Write("actigraph-dmy.csv", Preamble("d/M/yyyy", "13/1/2016"), rows.Prepend("Timestamp,Accelerometer X,Accelerometer Y,Accelerometer Z"));

        var samples = Read(path);

        Assert.Equal(60, samples.Count);
        Assert.Equal((new DateTime(2016, 1, 13, 10, 0, 0).Ticks - DateTime.UnixEpoch.Ticks) / 10, samples.Time[0]);
    }

    [Fact]
    public void An_actigraph_epoch_file_is_refused_as_counts_not_acceleration()
    {
        var path = Write("actigraph-60s.csv", Preamble(epoch: "00:01:00"), ["Axis1,Axis2,Axis3", "120,80,33"]);

        var ex = Assert.Throws<RecordingFormatException>(() => Read(path));

        Assert.Equal(5, ex.Line);
        Assert.Contains("epoch file (activity counts per 00:01:00)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_actigraph_header_that_never_ends_is_named_at_its_first_line()
    {
        var path = Write("actigraph-cut.csv", Preamble().Split('\n')[..4]);

        var ex = Assert.Throws<RecordingFormatException>(() => Read(path));

        Assert.Equal(1, ex.Line);
        Assert.Contains("does not end in a line of dashes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empatica_e4_acc_file_takes_its_utc_start_rate_and_unit_from_its_first_two_lines()
    {
        var rows = Enumerable.Range(0, 64).Select(i => $"{i % 5},-13,{62 + (i % 3)}");
        var path = Write("ACC.csv", "1495437325.000000, 1495437325.000000, 1495437325.000000", rows.Prepend("32.000000, 32.000000, 32.000000"));

        using var reader = Open(path);
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(64, samples.Count);
        Assert.Equal(RecordingClock.UnixUtc, reader.Info.Clock);
        Assert.Equal(32, reader.Info.NominalRateHz);
        Assert.Equal(1_495_437_325_000_000L, samples.Time[0]);
        Assert.Equal(1_495_437_325_000_000L + 31_250, samples.Time[1]);
        Assert.Equal(AccelerationUnit.Counts, reader.Info.Units);
        Assert.Equal(-13f / 64, samples.Y[0]);
        Assert.Equal(64f / 64, samples.Z[2]);
    }

    [Fact]
    public void An_empatica_start_line_without_its_rate_line_and_a_one_channel_e4_file_are_named()
    {
        var noRate = Write("ACC-cut.csv", ["1495437325.0,1495437325.0,1495437325.0", "1,2,3"]);
        var bvp = Write("BVP.csv", ["1495437325.000000", "64.000000", "-0.0", "12.5"]);

        var cut = Assert.Throws<RecordingFormatException>(() => Read(noRate));
        var channel = Assert.Throws<RecordingFormatException>(() => Read(bvp));

        Assert.Equal(2, cut.Line);
        Assert.Contains("not its sample rate", cut.Message, StringComparison.Ordinal);
        Assert.Equal(1, channel.Line);
        Assert.Contains("an Empatica E4 file of one channel", channel.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_headerless_date_time_and_three_axes_is_read_as_time_xyz_and_says_so()
    {
        var start = new DateTime(2016, 6, 1, 10, 0, 0);
        var rows = Enumerable.Range(0, 300).Select(i => $"{start.AddMilliseconds(i * 10).ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)},{F(Ax(i))},-0.2,0.97");
        var path = Write("omgui.csv", rows);

        using var reader = Open(path);
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(300, samples.Count);
        Assert.Equal(RecordingClock.LocalUnspecified, reader.Info.Clock);
        Assert.All(Intervals(samples), d => Assert.Equal(10_000, d));
        Assert.Equal((float)Ax(3), samples.X[3]);
        Assert.Contains(reader.Info.Notes, n => n.Contains("no header: read as time,x,y,z", StringComparison.Ordinal));
    }

    [Fact]
    public void An_android_sensor_log_without_header_is_read_as_time_accuracy_xyz_and_says_so()
    {
        // As an Android app logs SensorEvents (the Oxford step data set): ns timestamps, accuracy 0-3, m/s².
        var rows = Enumerable.Range(0, 200).Select(i => $"{263239144953734L + (i * 10_000_000L)},{(i % 7 == 0 ? 2 : 3)},{F(Ax(i) * 9.80665)},-1.96,9.5");
        var path = Write("accelerometer.csv", rows);

        using var reader = Open(path);
        var samples = RecordedSamples.ReadAll(reader);

        Assert.Equal(200, samples.Count);
        Assert.Equal(TimeUnit.Nanoseconds, reader.Info.TimeUnit);
        Assert.Equal(AccelerationUnit.MetresPerSecondSquared, reader.Info.Units);
        Assert.Equal(10_000L, samples.Time[1] - samples.Time[0]);
        Assert.Equal((float)Ax(5), samples.X[5], 1e-5f);
        Assert.Equal(-0.2f, samples.Y[5], 1e-3f);
        Assert.Contains(reader.Info.Notes, n => n.Contains("Android sensor log", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("1000,7,0.1,0.2,0.97")]   // a second column that is no accuracy status
    [InlineData("1000.5,2,0.1,0.2,0.97")] // a time that is no whole number
    [InlineData("1000,2,0.1,0.2")]        // four columns
    public void A_headerless_file_of_another_shape_is_still_refused(string first)
    {
        var path = Write("bare5.csv", [first, first]);

        var ex = Assert.Throws<RecordingFormatException>(() => Read(path));

        Assert.Contains("the first line has no header", ex.Message, StringComparison.Ordinal);
    }
}
