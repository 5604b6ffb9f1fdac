using Microsoft.Extensions.Logging;
using Sensing.Ingestion.Sessions;

namespace Sensing.Ingestion.Hosting;

/// <summary>Every log message of the ingestion worker. Event ids 5000-5099; next free id: 5019.</summary>
internal static partial class Log
{
    [LoggerMessage(5000, LogLevel.Information, "Sample journal recovered from {Directory}: {Segments} segments, {Records} records")]
    public static partial void JournalRecovered(ILogger logger, string directory, int segments, long records);

    [LoggerMessage(5001, LogLevel.Warning, "Sample journal recovery: cut a torn tail of {Bytes} bytes at offset {Offset} of {File} (a commit that never returned, so never acknowledged)")]
    public static partial void JournalTornTail(ILogger logger, long bytes, long offset, string file);

    [LoggerMessage(5002, LogLevel.Information, "Sample journal segment {File} is older than {Hours:F0} h: deleted")]
    public static partial void JournalSegmentExpired(ILogger logger, string file, double hours);

    [LoggerMessage(5003, LogLevel.Critical, "Sample journal commit to {File} failed: nothing more is acknowledged to any band (their data stays in flash)")]
    public static partial void JournalFailed(ILogger logger, string file, Exception exception);

    [LoggerMessage(5004, LogLevel.Information, "Band {Band}: connected (MTU {Mtu}, boot {Boot}, stream at {Position})")]
    public static partial void Connected(ILogger logger, string band, int mtu, byte boot, string position);

    [LoggerMessage(5005, LogLevel.Information, "Band {Band}: {Kind} ({Message}); reconnecting in {DelayMs} ms")]
    public static partial void SessionEnded(ILogger logger, string band, string kind, string message, long delayMs);

    [LoggerMessage(5006, LogLevel.Warning, "Band {Band} sent bad input ({Kind}): {Message}; its session is reset, no other band is affected")]
    public static partial void BadInput(ILogger logger, string band, string kind, string message);

    [LoggerMessage(5007, LogLevel.Warning, "Band {Band}: boot {Boot} samples {First}..{Last} are no longer stored on the band ({Reason}): recorded as lost")]
    public static partial void SamplesLost(ILogger logger, string band, byte boot, uint first, uint last, string reason);

    [LoggerMessage(5008, LogLevel.Information, "Band {Band}: boot {Boot} is finished at index {End}; the stream goes on with boot {NextBoot}")]
    public static partial void BootFinished(ILogger logger, string band, byte boot, uint end, byte nextBoot);

    [LoggerMessage(5009, LogLevel.Information, "Band {Band}: no new samples for {IdleSeconds:F0} s while connected and caught up (the band confirms nothing more is stored): its pipeline is completed and its last minutes stored")]
    public static partial void StreamCompleted(ILogger logger, string band, double idleSeconds);

    [LoggerMessage(5010, LogLevel.Information, "Rebuilt {Bands} bands from the journal: {Samples} samples re-read into their pipelines in {Seconds:F1} s")]
    public static partial void Rebuilt(ILogger logger, int bands, long samples, double seconds);

    [LoggerMessage(5011, LogLevel.Warning, "The journal holds band {Band}, which is not configured: its records are skipped")]
    public static partial void UnknownBand(ILogger logger, string band);

    [LoggerMessage(5012, LogLevel.Information, "Ingestion worker started: {Bands} bands, journal {Journal}, spool {Spool}, InfluxDB {Influx} database {Database}")]
    public static partial void Started(ILogger logger, int bands, string journal, string spool, string influx, string database);

    [LoggerMessage(5013, LogLevel.Information, "Ingestion worker stopped: journal committed, {Points} points still in the spool for the next start")]
    public static partial void Stopped(ILogger logger, long points);

    [LoggerMessage(5014, LogLevel.Warning, "InfluxDB setup did not complete ({Message}); retrying in {DelayS} s (points wait in the spool)")]
    public static partial void SetupRetry(ILogger logger, string message, int delayS);

    [LoggerMessage(5015, LogLevel.Information, "Health endpoint listening on {Url}")]
    public static partial void HealthListening(ILogger logger, string url);

    [LoggerMessage(5016, LogLevel.Warning, "Band {Band}: {Count} samples of boot {Boot} have no clock observation (the band reset twice while away): kept in the journal, not placed in time")]
    public static partial void Unplaced(ILogger logger, string band, long count, byte boot);

    [LoggerMessage(5017, LogLevel.Information, "Shutdown: flushing {Points} points to InfluxDB (at most {Seconds} s)")]
    public static partial void Flushing(ILogger logger, long points, double seconds);

    [LoggerMessage(5018, LogLevel.Warning, "Shutdown: InfluxDB did not take everything in time ({Message}); {Points} points stay in the spool for the next start")]
    public static partial void FlushIncomplete(ILogger logger, string message, long points);

    public static void SessionEnded(ILogger logger, string band, SessionFaultKind kind, string message, TimeSpan delay)
    {
        if (SessionFaults.IsBadInput(kind))
        {
            BadInput(logger, band, SessionFaults.Tag(kind), message);
        }

        SessionEnded(logger, band, SessionFaults.Tag(kind), message, (long)delay.TotalMilliseconds);
    }
}
