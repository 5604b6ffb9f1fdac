namespace Sensing.Storage.Schema;

/// <summary>A status report of a wristband: measurement <c>device</c>.</summary>
/// <param name="Time">When the status was read.</param>
/// <param name="BatteryPercent">Battery charge 0-100 (field <c>battery_pct</c>, integer).</param>
/// <param name="RssiDbm">Received signal strength in dBm (field <c>rssi_dbm</c>, integer); null when the link does not report it (the field is left out).</param>
/// <param name="LinkQuality">Share of expected packets received, 0-1 (field <c>link_quality</c>, float).</param>
/// <param name="BackfillPending">Records still waiting in the band's flash (field <c>backfill_pending</c>, integer).</param>
/// <param name="BackfillDone">Records backfilled so far in this session (field <c>backfill_done</c>, integer).</param>
public readonly record struct DeviceStatus(
    DateTimeOffset Time, int BatteryPercent, int? RssiDbm, double LinkQuality, long BackfillPending, long BackfillDone);
