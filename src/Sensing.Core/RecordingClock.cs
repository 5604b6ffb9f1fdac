namespace Sensing.Core;

/// <summary>What a sample timestamp's zero means.</summary>
public enum RecordingClock
{
    /// <summary>Time since the start of the recording (or of the device's log); no date is known.</summary>
    Relative,

    /// <summary>Microseconds since 1970-01-01T00:00:00Z: an instant.</summary>
    UnixUtc,

    /// <summary>A wall-clock local date-time with no known zone, counted as if it were UTC.</summary>
    LocalUnspecified,
}
