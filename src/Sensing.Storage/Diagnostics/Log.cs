using Microsoft.Extensions.Logging;

namespace Sensing.Storage.Diagnostics;

/// <summary>Every log message of the storage layer. Event ids 4000-4099; next free id: 4016.</summary>
internal static partial class Log
{
    [LoggerMessage(4000, LogLevel.Warning, "Spool full ({UsedBytes} of {MaxBytes} bytes): producers now wait (back-pressure); nothing is dropped")]
    public static partial void SpoolFull(ILogger logger, long usedBytes, long maxBytes);

    [LoggerMessage(4001, LogLevel.Information, "Spool has room again after {Seconds:F1} s of back-pressure ({UsedBytes} of {MaxBytes} bytes used)")]
    public static partial void SpoolResumed(ILogger logger, double seconds, long usedBytes, long maxBytes);

    [LoggerMessage(4002, LogLevel.Warning, "Spool recovery: dropped a torn record tail of {Bytes} bytes at offset {Offset} of {File} (written by a process that died before acknowledging it)")]
    public static partial void SpoolTornTail(ILogger logger, long bytes, long offset, string file);

    [LoggerMessage(4003, LogLevel.Information, "Spool opened at {Directory}: {Records} records, {Lines} points, {Bytes} bytes waiting to be written")]
    public static partial void SpoolOpened(ILogger logger, string directory, long records, long lines, long bytes);

    [LoggerMessage(4004, LogLevel.Error, "InfluxDB rejected {Points} points for good ({Kind}, HTTP {Status}): {Message}")]
    public static partial void WriteRejected(ILogger logger, long points, Influx.InfluxErrorKind kind, int status, string message);

    [LoggerMessage(4005, LogLevel.Warning, "Write of {Points} points failed ({Kind}, HTTP {Status}): {Message}; retry {Attempt} in {DelayMs} ms")]
    public static partial void WriteRetry(ILogger logger, long points, Influx.InfluxErrorKind kind, int status, string message, int attempt, long delayMs);

    [LoggerMessage(4006, LogLevel.Error, "InfluxDB refuses writes until the configuration is fixed ({Kind}, HTTP {Status}): {Message}; data stays in the spool, next attempt in {DelayMs} ms")]
    public static partial void WriteNeedsOperator(ILogger logger, Influx.InfluxErrorKind kind, int status, string message, long delayMs);

    [LoggerMessage(4007, LogLevel.Information, "Database {Database} not found: creating it")]
    public static partial void CreatingDatabase(ILogger logger, string database);

    [LoggerMessage(4008, LogLevel.Information, "Request of {Bytes} bytes refused as a whole ({Kind}): splitting {Points} points in two")]
    public static partial void SplittingBatch(ILogger logger, long bytes, Influx.InfluxErrorKind kind, int points);

    [LoggerMessage(4009, LogLevel.Information, "InfluxDB reachable again after {Attempts} failed attempts")]
    public static partial void WriteRecovered(ILogger logger, int attempts);

    [LoggerMessage(4010, LogLevel.Information, "Setup: {Statement}")]
    public static partial void SetupStatement(ILogger logger, string statement);
}
