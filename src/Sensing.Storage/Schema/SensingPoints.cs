using Sensing.Core;
using Sensing.Storage.LineProtocol;

namespace Sensing.Storage.Schema;

/// <summary>Writes Sensing's measurements into a <see cref="LineProtocolWriter"/>: the schema in code.</summary>
/// <remarks>
/// Each method checks that the writer targets the measurement's retention policy (or none, i.e. the configured
/// default), so minute data cannot end in the short policy by mistake.
/// </remarks>
public static class SensingPoints
{
    /// <summary>Appends one <c>minute</c> point.</summary>
    public static void WriteMinute(this LineProtocolWriter writer, WristbandSeries series, in MinuteActivity minute)
    {
        Check(writer, SensingSchema.Minute);
        writer.Series(series.Minute)
            .Field(SensingSchema.Steps, minute.Steps)
            .Field(SensingSchema.ActiveSeconds, minute.ActiveSeconds)
            .Field(SensingSchema.EnmoMg, minute.EnmoMilliG, SensingSchema.EnmoDecimals)
            .Timestamp(writer.Precision.FromInstant(minute.Start));
    }

    /// <summary>Appends one <c>epoch</c> point.</summary>
    public static void WriteEpoch(this LineProtocolWriter writer, WristbandSeries series, in EpochActivity epoch)
    {
        Check(writer, SensingSchema.Epoch);
        writer.Series(series.Epoch)
            .Field(SensingSchema.Class, (long)epoch.Class)
            .Field(SensingSchema.Confidence, epoch.Confidence, SensingSchema.ConfidenceDecimals)
            .Timestamp(writer.Precision.FromInstant(epoch.Start));
    }

    /// <summary>Appends one <c>wear</c> point.</summary>
    public static void WriteWear(this LineProtocolWriter writer, WristbandSeries series, in WearInterval wear)
    {
        Check(writer, SensingSchema.Wear);
        writer.Series(series.Wear)
            .Field(SensingSchema.Worn, wear.Worn)
            .Field(SensingSchema.DurationSeconds, (long)wear.Duration.TotalSeconds)
            .Timestamp(writer.Precision.FromInstant(wear.Start));
    }

    /// <summary>Appends one <c>device</c> point.</summary>
    public static void WriteDeviceStatus(this LineProtocolWriter writer, WristbandSeries series, in DeviceStatus status)
    {
        Check(writer, SensingSchema.Device);
        var line = writer.Series(series.Device).Field(SensingSchema.BatteryPercent, status.BatteryPercent);
        if (status.RssiDbm is int rssi)
        {
            line.Field(SensingSchema.RssiDbm, rssi);
        }

        line.Field(SensingSchema.LinkQuality, status.LinkQuality)
            .Field(SensingSchema.BackfillPending, status.BackfillPending)
            .Field(SensingSchema.BackfillDone, status.BackfillDone)
            .Timestamp(writer.Precision.FromInstant(status.Time));
    }

    /// <summary>Appends one <c>daily</c> point.</summary>
    public static void WriteDaily(this LineProtocolWriter writer, WristbandSeries series, in DailySummary day)
    {
        Check(writer, SensingSchema.Daily);
        writer.Series(series.Daily)
            .Field(SensingSchema.Steps, day.Steps)
            .Field(SensingSchema.WearMinutes, day.WearMinutes)
            .Field(SensingSchema.ActiveMinutes, day.ActiveMinutes)
            .Field(SensingSchema.SedentaryMinutes, day.SedentaryMinutes)
            .Timestamp(writer.Precision.FromInstant(day.LocalMidnight));
    }

    /// <summary>
    /// Appends the samples of a block as <c>raw</c> points (x, y, z in g). The block's clock must be
    /// <see cref="RecordingClock.UnixUtc"/>; two samples in the same millisecond are one point (the later wins).
    /// </summary>
    public static void WriteRaw(this LineProtocolWriter writer, WristbandSeries series, SampleBlock block)
    {
        Check(writer, SensingSchema.Raw);
        var time = block.Time;
        var x = block.X;
        var y = block.Y;
        var z = block.Z;
        for (var i = 0; i < time.Length; i++)
        {
            writer.Series(series.Raw)
                .Field(SensingSchema.X, x[i])
                .Field(SensingSchema.Y, y[i])
                .Field(SensingSchema.Z, z[i])
                .Timestamp(writer.Precision.FromUnixMicros(time[i]));
        }
    }

    private static void Check(LineProtocolWriter writer, string measurement)
    {
        if (writer.RetentionPolicy is null)
        {
            return; // the configured default
        }

        var expected = SensingSchema.RetentionPolicyOf(measurement);
        if (!ReferenceEquals(writer.RetentionPolicy, expected) && writer.RetentionPolicy != expected)
        {
            throw new InvalidOperationException(
                $"Measurement '{measurement}' belongs in retention policy '{expected}', but this writer targets '{writer.RetentionPolicy}'.");
        }
    }
}
