using System.Text;
using Sensing.Core;
using Sensing.Storage.LineProtocol;
using Sensing.Storage.Schema;

namespace Sensing.Storage.Tests.LineProtocol;

/// <summary>The schema's points, written through the one-reservation line path: exact text, and all-or-nothing lines.</summary>
public sealed class SchemaLineTests
{
    private static readonly WristbandSeries Band = new("WB-1", "p-1");
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static string Text(LineProtocolWriter writer) => Encoding.UTF8.GetString(writer.WrittenSpan);

    [Fact]
    public void Every_measurement_is_written_as_the_schema_says()
    {
        using var writer = new LineProtocolWriter(SensingSchema.Precision);
        writer.WriteMinute(Band, new MinuteActivity(Start, 87, 45, 12.345678));
        writer.WriteEpoch(Band, new EpochActivity(Start.AddSeconds(10), ActivityClass.Walking, 47 / 60.0));
        writer.WriteWear(Band, new WearInterval(Start, false, TimeSpan.FromMinutes(75)));
        writer.WriteDeviceStatus(Band, new DeviceStatus(Start, 81, -67, 0.9875, 120, 3));
        writer.WriteDeviceStatus(Band, new DeviceStatus(Start.AddMinutes(1), 80, null, 1, 0, 123));
        writer.WriteDaily(Band, new DailySummary(Start, 6123, 900, 240, 500));
        var raw = new SampleBlock(2);
        raw.Add(Start.ToUnixTimeMilliseconds() * 1000 + 1500, 0.1f, -1f, 0.015625f);
        writer.WriteRaw(Band, raw);

        Assert.Equal(
            "minute,patient=p-1,wristband=WB-1 steps=87i,active_s=45i,enmo_mg=12.35 1740787200000\n" +
            "epoch,patient=p-1,wristband=WB-1 class=4i,confidence=0.783 1740787210000\n" +
            "wear,patient=p-1,wristband=WB-1 worn=false,duration_s=4500i 1740787200000\n" +
            "device,patient=p-1,wristband=WB-1 battery_pct=81i,rssi_dbm=-67i,link_quality=0.9875,backfill_pending=120i,backfill_done=3i 1740787200000\n" +
            "device,patient=p-1,wristband=WB-1 battery_pct=80i,link_quality=1,backfill_pending=0i,backfill_done=123i 1740787260000\n" +
            "daily,patient=p-1,wristband=WB-1 steps=6123i,wear_min=900i,active_min=240i,sedentary_min=500i 1740787200000\n" +
            "raw,patient=p-1,wristband=WB-1 x=0.1,y=-1,z=0.015625 1740787200001\n",
            Text(writer));
        Assert.Equal(7, writer.LineCount);
    }

    [Fact]
    public void A_point_that_fails_part_way_leaves_nothing_and_the_next_point_is_whole()
    {
        using var writer = new LineProtocolWriter(SensingSchema.Precision);
        writer.WriteMinute(Band, new MinuteActivity(Start, 1, 2, 3));
        var before = Text(writer);

        Assert.Equal(LineProtocolError.NonFiniteFloat,
            Assert.Throws<LineProtocolException>(() => writer.WriteMinute(Band, new MinuteActivity(Start.AddMinutes(1), 5, 6, double.NaN))).Reason);
        Assert.Equal(LineProtocolError.TimestampOutOfRange,
            Assert.Throws<LineProtocolException>(() => writer.WriteEpoch(Band, new EpochActivity(DateTimeOffset.MaxValue, ActivityClass.Lying, 1))).Reason);
        Assert.Equal(before, Text(writer));

        writer.WriteMinute(Band, new MinuteActivity(Start.AddMinutes(2), 7, 8, 9.5));
        Assert.Equal(before + "minute,patient=p-1,wristband=WB-1 steps=7i,active_s=8i,enmo_mg=9.5 1740787320000\n", Text(writer));
        Assert.Equal(2, writer.LineCount);
    }

    [Fact]
    public void Many_points_grow_the_buffer_and_stay_whole()
    {
        using var writer = new LineProtocolWriter(SensingSchema.Precision, initialCapacity: 256);
        for (var i = 0; i < 5_000; i++)
        {
            writer.WriteMinute(Band, new MinuteActivity(Start.AddMinutes(i), i % 130, i % 61, (i % 400) * 0.25));
        }

        var lines = Text(writer).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5_000, lines.Length);
        Assert.Equal("minute,patient=p-1,wristband=WB-1 steps=59i,active_s=58i,enmo_mg=49.75 " + Start.AddMinutes(4_999).ToUnixTimeMilliseconds(), lines[^1]);
    }
}
