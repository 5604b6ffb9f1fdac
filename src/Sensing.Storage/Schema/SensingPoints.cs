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
        var line = writer.BeginLine(series.Minute);
        line.Field(SensingSchema.Steps, minute.Steps);
        line.Field(SensingSchema.ActiveSeconds, minute.ActiveSeconds);
        line.Field(SensingSchema.EnmoMg, minute.EnmoMilliG, SensingSchema.EnmoDecimals);
        writer.EndLine(ref line, writer.Precision.FromInstant(minute.Start));
    }

    /// <summary>Appends one <c>epoch</c> point.</summary>
    public static void WriteEpoch(this LineProtocolWriter writer, WristbandSeries series, in EpochActivity epoch)
    {
        Check(writer, SensingSchema.Epoch);
        var line = writer.BeginLine(series.Epoch);
        line.Field(SensingSchema.Class, (long)epoch.Class);
        line.Field(SensingSchema.Confidence, epoch.Confidence, SensingSchema.ConfidenceDecimals);
        writer.EndLine(ref line, writer.Precision.FromInstant(epoch.Start));
    }

    /// <summary>Appends one <c>wear</c> point.</summary>
    public static void WriteWear(this LineProtocolWriter writer, WristbandSeries series, in WearInterval wear)
    {
        Check(writer, SensingSchema.Wear);
        var line = writer.BeginLine(series.Wear);
        line.Field(SensingSchema.Worn, wear.Worn);
        line.Field(SensingSchema.DurationSeconds, (long)wear.Duration.TotalSeconds);
        writer.EndLine(ref line, writer.Precision.FromInstant(wear.Start));
    }

    /// <summary>Appends one <c>device</c> point.</summary>
    public static void WriteDeviceStatus(this LineProtocolWriter writer, WristbandSeries series, in DeviceStatus status)
    {
        Check(writer, SensingSchema.Device);
        var line = writer.BeginLine(series.Device);
        line.Field(SensingSchema.BatteryPercent, status.BatteryPercent);
        if (status.RssiDbm is int rssi)
        {
            line.Field(SensingSchema.RssiDbm, rssi);
        }

        line.Field(SensingSchema.LinkQuality, status.LinkQuality);
        line.Field(SensingSchema.BackfillPending, status.BackfillPending);
        line.Field(SensingSchema.BackfillDone, status.BackfillDone);
        writer.EndLine(ref line, writer.Precision.FromInstant(status.Time));
    }

    /// <summary>Appends one <c>daily</c> point.</summary>
    public static void WriteDaily(this LineProtocolWriter writer, WristbandSeries series, in DailySummary day)
    {
        Check(writer, SensingSchema.Daily);
        var line = writer.BeginLine(series.Daily);
        line.Field(SensingSchema.Steps, day.Steps);
        line.Field(SensingSchema.WearMinutes, day.WearMinutes);
        line.Field(SensingSchema.ActiveMinutes, day.ActiveMinutes);
        line.Field(SensingSchema.SedentaryMinutes, day.SedentaryMinutes);
        writer.EndLine(ref line, writer.Precision.FromInstant(day.LocalMidnight));
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
            var line = writer.BeginLine(series.Raw);
            line.Field(SensingSchema.X, x[i]);
            line.Field(SensingSchema.Y, y[i]);
            line.Field(SensingSchema.Z, z[i]);
            writer.EndLine(ref line, writer.Precision.FromUnixMicros(time[i]));
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
