namespace Sensing.Core;

/// <summary>Conversions between the microsecond timestamps of <see cref="SampleBlock"/> and other units.</summary>
public static class TimeUnits
{
    /// <summary>Microseconds in one second.</summary>
    public const long MicrosPerSecond = 1_000_000;

    /// <summary>Seconds as a double from microseconds.</summary>
    public static double ToSeconds(long micros) => micros / (double)MicrosPerSecond;

    /// <summary>Microseconds from seconds, rounded to the nearest microsecond.</summary>
    public static long FromSeconds(double seconds) => (long)Math.Round(seconds * MicrosPerSecond);
}
