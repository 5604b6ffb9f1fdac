namespace Sensing.Storage.LineProtocol;

/// <summary>The query-string names and valid ranges of <see cref="WritePrecision"/>; the one place that maps them.</summary>
public static class WritePrecisions
{
    // InfluxDB's valid time range is MinInt64+2 .. MaxInt64-1 nanoseconds (1.6 models/time.go); divided per unit.
    private const long MinNanos = long.MinValue + 2;
    private const long MaxNanos = long.MaxValue - 1;

    /// <summary>The <c>precision=</c> value for the write request: <c>ms</c> or <c>s</c>, nothing else.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined precision (a cast integer).</exception>
    public static string QueryValue(this WritePrecision precision) => precision switch
    {
        WritePrecision.Milliseconds => "ms",
        WritePrecision.Seconds => "s",
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision,
            "Only precision ms or s is ever sent: InfluxDB 1.6 stores unknown precisions as nanoseconds."),
    };

    /// <summary>The first and last timestamp InfluxDB accepts in this precision (writers keep them: two divisions saved a point).</summary>
    public static (long Min, long Max) Range(this WritePrecision precision)
    {
        var perUnit = precision == WritePrecision.Seconds ? 1_000_000_000L : 1_000_000L;
        return (MinNanos / perUnit, MaxNanos / perUnit);
    }

    /// <summary>Converts an instant to a timestamp in this precision (truncating toward the past).</summary>
    public static long FromInstant(this WritePrecision precision, DateTimeOffset instant) => precision switch
    {
        WritePrecision.Seconds => instant.ToUnixTimeSeconds(),
        _ => instant.ToUnixTimeMilliseconds(),
    };

    /// <summary>Converts microseconds since the Unix epoch (the clock of <c>SampleBlock</c>) to this precision.</summary>
    public static long FromUnixMicros(this WritePrecision precision, long micros)
        => FloorDivide(micros, precision == WritePrecision.Seconds ? 1_000_000L : 1_000L);

    private static long FloorDivide(long value, long divisor)
    {
        var (quotient, remainder) = Math.DivRem(value, divisor);
        return remainder < 0 ? quotient - 1 : quotient;
    }

    /// <summary>True for the two defined values; guards a precision read back from disk.</summary>
    public static bool IsDefined(WritePrecision precision)
        => precision is WritePrecision.Milliseconds or WritePrecision.Seconds;
}
