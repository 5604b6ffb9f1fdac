using System.Globalization;
using Sensing.Core;

namespace Sensing.Cli.Replay;

/// <summary>How a time on a recording's clock is written for people: an instant in UTC, a local time, or nothing.</summary>
internal static class RecordingTime
{
    /// <summary>ISO 8601 (<c>...Z</c> for UTC, no zone for a local clock); null for a relative clock with no date.</summary>
    public static string? Format(RecordingClock clock, long micros) => clock switch
    {
        RecordingClock.UnixUtc => DateTime.UnixEpoch.AddTicks(micros * 10).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        RecordingClock.LocalUnspecified => DateTime.UnixEpoch.AddTicks(micros * 10).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
        _ => null,
    };
}
