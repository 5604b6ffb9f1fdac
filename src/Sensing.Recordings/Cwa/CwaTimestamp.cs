namespace Sensing.Recordings.Cwa;

/// <summary>
/// The packed date-time of a .cwa file (Open Movement <c>cwa_timestamp_t</c>): bits <c>YYYYYYMM MMDDDDDh hhhhmmmm mmssssss</c>,
/// year counted from 2000. The device clock is local wall time with no zone; it is counted here as if it were UTC
/// (<see cref="Sensing.Core.RecordingClock.LocalUnspecified"/>).
/// </summary>
internal static class CwaTimestamp
{
    /// <summary>Decodes a packed timestamp to seconds since 1970-01-01 (wall clock).</summary>
    /// <returns>False for 0 ("unknown") and for fields that are not a date (month 0, hour 25, ...).</returns>
    public static bool TryDecode(uint packed, out long unixSeconds)
    {
        var year = 2000 + (int)(packed >> 26);
        var month = (int)(packed >> 22) & 0x0f;
        var day = (int)(packed >> 17) & 0x1f;
        var hours = (int)(packed >> 12) & 0x1f;
        var minutes = (int)(packed >> 6) & 0x3f;
        var seconds = (int)packed & 0x3f;
        if (packed == 0 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) ||
            hours > 23 || minutes > 59 || seconds > 59)
        {
            unixSeconds = 0;
            return false;
        }

        var wall = new DateTime(year, month, day, hours, minutes, seconds, DateTimeKind.Unspecified);
        unixSeconds = (wall.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;
        return true;
    }
}
