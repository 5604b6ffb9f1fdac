using Sensing.Storage.LineProtocol;

namespace Sensing.Storage.Spool;

/// <summary>
/// The buffer between the pipeline and InfluxDB, used as a transaction log (Telegraf's buffer model): producers
/// append records of line protocol; one drainer takes a batch from the head, tries to write it, and ends the batch
/// saying which records were accepted or rejected; every other record is kept and handed out again, in order.
/// </summary>
/// <remarks>
/// Bounded by <see cref="MaxBytes"/>: when full, <see cref="AppendAsync"/> waits until the drainer frees room
/// (back-pressure). Nothing is ever dropped. Append is thread-safe; batches are taken by one drainer at a time.
/// </remarks>
public interface ISpool : IAsyncDisposable
{
    /// <summary>Bytes held (records appended and not yet accepted or rejected, with their headers).</summary>
    long Bytes { get; }

    /// <summary>The configured bound of <see cref="Bytes"/>.</summary>
    long MaxBytes { get; }

    /// <summary>Points (lines) held and not yet accepted or rejected.</summary>
    long PendingLines { get; }

    /// <summary>
    /// Appends one record of complete lines. Returns once the record is as durable as the spool promises
    /// (on disk and fsynced for <see cref="DiskSpool"/> with <see cref="SpoolDurability.Fsync"/>); waits while
    /// the spool is full. The caller must not change <paramref name="lines"/> until the task completes.
    /// </summary>
    /// <exception cref="ArgumentException">The record alone is larger than <see cref="MaxBytes"/>.</exception>
    /// <exception cref="OperationCanceledException">Cancelled while waiting for room or durability; the record may or may not be kept.</exception>
    ValueTask AppendAsync(ReadOnlyMemory<byte> lines, int lineCount, WritePrecision precision, string? retentionPolicy, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the oldest unfinished records, up to <paramref name="maxLines"/> lines and <paramref name="maxBytes"/>
    /// bytes (at least one record), all with the same precision and retention policy. Null when nothing is waiting.
    /// </summary>
    /// <exception cref="InvalidOperationException">A batch is already in flight.</exception>
    SpoolBatch? BeginBatch(int maxLines, int maxBytes);

    /// <summary>Ends a batch: accepted and rejected records are removed; all others are kept, first in line.</summary>
    void EndBatch(SpoolBatch batch);
}
