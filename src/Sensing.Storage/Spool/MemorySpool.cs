using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sensing.Storage.Diagnostics;
using Sensing.Storage.LineProtocol;

namespace Sensing.Storage.Spool;

/// <summary>
/// A bounded in-memory spool with the same transaction semantics as <see cref="DiskSpool"/>. Nothing survives the
/// process: for tests, benchmarks and deployments where the wristbands' own flash is the only durable copy.
/// </summary>
public sealed class MemorySpool : ISpool
{
    private readonly object _lock = new();
    private readonly List<Entry> _entries = [];
    private readonly SpoolCapacity _capacity;
    private readonly SpoolLedger _ledger = new(0);
    private long _firstId;
    private long _pendingLines;

    /// <summary>Creates an empty spool bounded to <paramref name="maxBytes"/>.</summary>
    public MemorySpool(long maxBytes, ILogger? logger = null, StorageMetrics? metrics = null, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1024);
        _capacity = new SpoolCapacity(maxBytes, 0, logger ?? NullLogger.Instance, metrics, time ?? TimeProvider.System);
    }

    /// <inheritdoc />
    public long Bytes => _capacity.Used;

    /// <inheritdoc />
    public long MaxBytes => _capacity.MaxBytes;

    /// <inheritdoc />
    public long PendingLines => Interlocked.Read(ref _pendingLines);

    /// <inheritdoc />
    public async ValueTask AppendAsync(ReadOnlyMemory<byte> lines, int lineCount, WritePrecision precision, string? retentionPolicy, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lineCount);
        await _capacity.ReserveAsync(lines.Length, cancellationToken).ConfigureAwait(false);
        var entry = new Entry(lines.ToArray(), lineCount, precision, retentionPolicy);
        lock (_lock)
        {
            _entries.Add(entry);
        }

        Interlocked.Add(ref _pendingLines, lineCount);
    }

    /// <inheritdoc />
    public SpoolBatch? BeginBatch(int maxLines, int maxBytes)
    {
        lock (_lock)
        {
            var records = new List<SpoolRecord>();
            var nextIds = new List<long>();
            Entry? first = null;
            long lines = 0;
            long bytes = 0;
            for (var id = _ledger.ReadPosition; id - _firstId < _entries.Count; id++)
            {
                if (_ledger.IsDoneAhead(id, out _))
                {
                    continue;
                }

                var entry = _entries[(int)(id - _firstId)];
                first ??= entry;
                var fits = records.Count == 0 || (lines + entry.LineCount <= maxLines && bytes + entry.Lines.Length <= maxBytes);
                if (!fits || entry.Precision != first.Precision || entry.RetentionPolicy != first.RetentionPolicy)
                {
                    break;
                }

                records.Add(new SpoolRecord(id, entry.LineCount, entry.Lines));
                nextIds.Add(id + 1);
                lines += entry.LineCount;
                bytes += entry.Lines.Length;
            }

            if (first is null)
            {
                return null;
            }

            var batch = new SpoolBatch([.. records], [.. nextIds], first.Precision, first.RetentionPolicy, this, lease: null);
            _ledger.Begin(batch);
            return batch;
        }
    }

    /// <inheritdoc />
    public void EndBatch(SpoolBatch batch)
    {
        long freed = 0;
        lock (_lock)
        {
            var doneLines = _ledger.End(batch);
            Interlocked.Add(ref _pendingLines, -doneLines);
            var remove = (int)(_ledger.Checkpoint - _firstId);
            for (var i = 0; i < remove; i++)
            {
                freed += _entries[i].Lines.Length;
            }

            _entries.RemoveRange(0, remove);
            _firstId = _ledger.Checkpoint;
        }

        _capacity.Release(freed);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed record Entry(byte[] Lines, int LineCount, WritePrecision Precision, string? RetentionPolicy);
}
