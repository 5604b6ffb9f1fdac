using Sensing.Storage.Influx;

namespace Sensing.Storage.Schema;

/// <summary>
/// Sensing's retention policies and continuous queries: <c>short</c> (14 days, 1-day shards) for raw samples,
/// epochs and device status; <c>long</c> (forever by default, 52-week shards, the default RP) for minute data, wear,
/// daily summaries and the hourly downsamples the CQs write.
/// </summary>
public static class SensingSetup
{
    /// <summary>Prefix of the CQs Sensing manages (others on the database are left alone).</summary>
    public const string CqPrefix = "sensing_";

    /// <summary>The plan for <paramref name="database"/>.</summary>
    /// <param name="database">Database name.</param>
    /// <param name="shortRetention">How long raw samples, epochs and device status are kept (default 14 days).</param>
    /// <param name="longRetention">How long minute and daily data are kept (default: forever).</param>
    public static InfluxSetupPlan Plan(string database, TimeSpan? shortRetention = null, TimeSpan? longRetention = null)
    {
        var db = InfluxQl.Identifier(database);
        string Target(string rp, string measurement) => $"{db}.{InfluxQl.Identifier(rp)}.{InfluxQl.Identifier(measurement)}";
        var minuteHourly =
            $"SELECT sum(\"steps\") AS \"steps\", sum(\"active_s\") AS \"active_s\", mean(\"enmo_mg\") AS \"enmo_mg\" " +
            $"INTO {Target(SensingSchema.LongRetention, SensingSchema.MinuteHourly)} FROM {Target(SensingSchema.LongRetention, SensingSchema.Minute)} GROUP BY time(1h), *";
        var deviceHourly =
            $"SELECT mean(\"battery_pct\") AS \"battery_pct\", mean(\"rssi_dbm\") AS \"rssi_dbm\", mean(\"link_quality\") AS \"link_quality\", " +
            $"last(\"backfill_pending\") AS \"backfill_pending\" " +
            $"INTO {Target(SensingSchema.LongRetention, SensingSchema.DeviceHourly)} FROM {Target(SensingSchema.ShortRetention, SensingSchema.Device)} GROUP BY time(1h), *";
        return new InfluxSetupPlan(
            database,
            [
                new RetentionPolicySpec(SensingSchema.ShortRetention, shortRetention ?? TimeSpan.FromDays(14), TimeSpan.FromDays(1), IsDefault: false),
                new RetentionPolicySpec(SensingSchema.LongRetention, longRetention ?? TimeSpan.Zero, TimeSpan.FromDays(7 * 52), IsDefault: true),
            ],
            [
                // RESAMPLE FOR 1d: wristbands backfill from flash hours late; each run recomputes the last day's hours.
                new ContinuousQuerySpec(CqPrefix + "minute_1h_v1", minuteHourly, TimeSpan.FromHours(1), TimeSpan.FromDays(1)),
                new ContinuousQuerySpec(CqPrefix + "device_1h_v1", deviceHourly, TimeSpan.FromHours(1), TimeSpan.FromDays(1)),
            ],
            CqPrefix);
    }
}
