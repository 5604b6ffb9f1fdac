using Sensing.Storage.LineProtocol;

namespace Sensing.Storage.Schema;

/// <summary>
/// The names of Sensing's InfluxDB schema: measurements, the two tags, field keys and the two retention policies.
/// </summary>
/// <remarks>
/// Tags are only <c>patient</c> (a pseudonym) and <c>wristband</c> (the band id): one series per wristband per
/// measurement, so cardinality grows with the number of bands and nothing else. Everything that varies per point
/// is a field. No names, free text or other identifying data are stored. See the README for example queries.
/// </remarks>
public static class SensingSchema
{
    /// <summary>Tag key of the patient pseudonym (sorts before <see cref="WristbandTag"/>, as line protocol wants).</summary>
    public const string PatientTag = "patient";

    /// <summary>Tag key of the wristband id.</summary>
    public const string WristbandTag = "wristband";

    /// <summary>Retention policy for high-rate, short-lived data (raw samples, epochs, device status).</summary>
    public const string ShortRetention = "short";

    /// <summary>Retention policy for minute data, wear, daily summaries and downsampled series (kept long).</summary>
    public const string LongRetention = "long";

    /// <summary>Per-minute steps and activity (long RP).</summary>
    public const string Minute = "minute";

    /// <summary>Per-epoch activity class (short RP).</summary>
    public const string Epoch = "epoch";

    /// <summary>Wear / non-wear intervals (long RP).</summary>
    public const string Wear = "wear";

    /// <summary>Device status: battery, link quality, backfill progress (short RP).</summary>
    public const string Device = "device";

    /// <summary>Daily summaries per patient-local day (long RP).</summary>
    public const string Daily = "daily";

    /// <summary>Raw accelerometer samples in g (short RP; off by default).</summary>
    public const string Raw = "raw";

    /// <summary>Hourly downsample of <see cref="Minute"/>, written by a continuous query (long RP).</summary>
    public const string MinuteHourly = "minute_1h";

    /// <summary>Hourly downsample of <see cref="Device"/>, written by a continuous query (long RP).</summary>
    public const string DeviceHourly = "device_1h";

    /// <summary>Precision of every Sensing write: epochs and raw samples need milliseconds.</summary>
    public const WritePrecision Precision = WritePrecision.Milliseconds;

    /// <summary>Decimals of <c>enmo_mg</c>: 0.01 mg, finer than the 0.24 mg a count of a ±8 g 16-bit sensor carries.</summary>
    public const int EnmoDecimals = 2;

    /// <summary>Decimals of <c>confidence</c>, a share of a minute's seconds (1/60 is 0.017).</summary>
    public const int ConfidenceDecimals = 3;

    internal static readonly FieldKey Steps = FieldKey.Create("steps");
    internal static readonly FieldKey ActiveSeconds = FieldKey.Create("active_s");
    internal static readonly FieldKey EnmoMg = FieldKey.Create("enmo_mg");
    internal static readonly FieldKey Class = FieldKey.Create("class");
    internal static readonly FieldKey Confidence = FieldKey.Create("confidence");
    internal static readonly FieldKey Worn = FieldKey.Create("worn");
    internal static readonly FieldKey DurationSeconds = FieldKey.Create("duration_s");
    internal static readonly FieldKey BatteryPercent = FieldKey.Create("battery_pct");
    internal static readonly FieldKey RssiDbm = FieldKey.Create("rssi_dbm");
    internal static readonly FieldKey LinkQuality = FieldKey.Create("link_quality");
    internal static readonly FieldKey BackfillPending = FieldKey.Create("backfill_pending");
    internal static readonly FieldKey BackfillDone = FieldKey.Create("backfill_done");
    internal static readonly FieldKey WearMinutes = FieldKey.Create("wear_min");
    internal static readonly FieldKey ActiveMinutes = FieldKey.Create("active_min");
    internal static readonly FieldKey SedentaryMinutes = FieldKey.Create("sedentary_min");
    internal static readonly FieldKey X = FieldKey.Create("x");
    internal static readonly FieldKey Y = FieldKey.Create("y");
    internal static readonly FieldKey Z = FieldKey.Create("z");

    /// <summary>The retention policy a measurement is written to.</summary>
    /// <exception cref="ArgumentException">Not a Sensing measurement.</exception>
    public static string RetentionPolicyOf(string measurement) => measurement switch
    {
        Minute or Wear or Daily or MinuteHourly or DeviceHourly => LongRetention,
        Epoch or Device or Raw => ShortRetention,
        _ => throw new ArgumentException($"'{measurement}' is not a Sensing measurement.", nameof(measurement)),
    };
}
