using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;
using Sensing.Storage.Diagnostics;
using Sensing.Storage.LineProtocol;

namespace Sensing.Storage.Spool;

/// <summary>
/// The durable write-ahead spool: append-only segment files of CRC-checked records in one directory, a checkpoint
/// file naming the first record not yet written to InfluxDB, recovery at open.
/// </summary>
/// <remarks>
/// <para>Layout: <c>{offset:D20}.seg</c> segment files named by the logical offset of their first byte, and
/// <c>checkpoint</c> (offset + CRC). A record's id is its logical offset.</para>
/// <para>Durability (<see cref="SpoolOptions.Durability"/>): with <see cref="SpoolDurability.Fsync"/> an append
/// returns after write + fsync of the segment (concurrent appends share one fsync: group commit); a new segment
/// is preceded by an fsync of the old one and followed by an fsync of the directory. The checkpoint is written
/// (temp file + rename) without fsync: losing it only means records are sent again, which InfluxDB absorbs,
/// because a point's identity is measurement + tags + timestamp and a repeat overwrites it.</para>
/// <para>Recovery: segments wholly before the checkpoint are deleted; every record after it is checked. A bad or
/// incomplete record at the end of the last segment is the torn tail of an append that never returned (so was
/// never acknowledged): it is cut off and logged. A bad record anywhere else stops the open with a
/// <see cref="SpoolCorruptException"/> naming the file.</para>
/// <para>Bound: <see cref="SpoolOptions.MaxBytes"/> of live records (disk use can exceed it by the consumed part of
/// the oldest segment). When full, appends wait (back-pressure, logged once per episode); nothing is dropped.</para>
/// <para>One process per directory. Appends are thread-safe; one drainer takes batches.</para>
/// </remarks>
public sealed class DiskSpool : ISpool
{
    private const string CheckpointFile = "checkpoint";
    private const string SegmentExtension = ".seg";

    private readonly object _lock = new();
    private readonly SemaphoreSlim _syncLock = new(1, 1);
    private readonly SpoolOptions _options;
    private readonly ILogger _logger;
    private readonly List<Segment> _segments;
    private readonly SpoolLedger _ledger;
    private readonly SpoolCapacity _capacity;
    private long _appendPosition;
    private long _durablePosition;
    private long _pendingLines;
    private bool _disposed;

    private DiskSpool(SpoolOptions options, ILogger logger, StorageMetrics? metrics, TimeProvider time, List<Segment> segments, long checkpoint, long end, long lines)
    {
        _options = options;
        _logger = logger;
        _segments = segments;
        _ledger = new SpoolLedger(checkpoint);
        _appendPosition = end;
        _durablePosition = end;
        _pendingLines = lines;
        _capacity = new SpoolCapacity(options.MaxBytes, end - checkpoint, logger, metrics, time);
    }

    /// <inheritdoc />
    public long Bytes => _capacity.Used;

    /// <inheritdoc />
    public long MaxBytes => _capacity.MaxBytes;

    /// <inheritdoc />
    public long PendingLines => Interlocked.Read(ref _pendingLines);

    /// <summary>The spool directory.</summary>
    public string Directory => _options.Directory;

    /// <summary>Opens (and recovers) the spool in <see cref="SpoolOptions.Directory"/>, creating it when missing.</summary>
    /// <exception cref="SpoolCorruptException">A segment is damaged other than at the torn tail of the last one.</exception>
    public static DiskSpool Open(SpoolOptions options, ILogger? logger = null, StorageMetrics? metrics = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        logger ??= NullLogger.Instance;
        System.IO.Directory.CreateDirectory(options.Directory);
        var checkpoint = ReadCheckpoint(options.Directory);
        var segments = new List<Segment>();
        foreach (var (start, path) in ListSegments(options.Directory))
        {
            var length = new FileInfo(path).Length;
            if (checkpoint is long done && start + length <= done && length > 0)
            {
                File.Delete(path);
                continue;
            }

            segments.Add(new Segment(start, path, length));
        }

        var first = segments.Count > 0 ? segments[0].Start : checkpoint ?? 0;
        var position = Math.Max(checkpoint ?? first, first);
        var startAt = position;
        long records = 0;
        long lines = 0;
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            if (i > 0 && segment.Start != position)
            {
                throw new SpoolCorruptException(segment.Path, 0, $"segment starts at offset {segment.Start} but the one before ends at {position}");
            }

            position = Scan(segment, Math.Max(position, segment.Start), isLast: i == segments.Count - 1, logger, ref records, ref lines);
        }

        // New appends always go to a fresh segment, so a recovered file is never written again.
        if (segments.Count > 0 && segments[^1].Length == 0)
        {
            segments.RemoveAt(segments.Count - 1);
        }

        foreach (var segment in segments)
        {
            segment.Handle = File.OpenHandle(segment.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        }

        var spool = new DiskSpool(options, logger, metrics, time ?? TimeProvider.System, segments, startAt, position, lines);
        lock (spool._lock)
        {
            spool.StartSegment();
        }

        Log.SpoolOpened(logger, options.Directory, records, lines, position - startAt);
        return spool;
    }

    /// <inheritdoc />
    public async ValueTask AppendAsync(ReadOnlyMemory<byte> lines, int lineCount, WritePrecision precision, string? retentionPolicy, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lineCount);
        if (!WritePrecisions.IsDefined(precision))
        {
            throw new ArgumentOutOfRangeException(nameof(precision), precision, "Only ms or s precision is supported.");
        }

        var rp = retentionPolicy is null ? [] : Encoding.UTF8.GetBytes(retentionPolicy);
        if (rp.Length > byte.MaxValue)
        {
            throw new ArgumentException($"Retention policy name '{retentionPolicy}' is longer than 255 bytes.", nameof(retentionPolicy));
        }

        var header = new byte[SpoolRecordFormat.HeaderBytes(rp.Length)];
        if (header.Length + (long)lines.Length - SpoolRecordFormat.PrefixBytes > SpoolRecordFormat.MaxBodyBytes)
        {
            throw new ArgumentException($"A record of {lines.Length} bytes exceeds the 256 MiB record limit; write smaller batches.", nameof(lines));
        }

        SpoolRecordFormat.WriteHeader(header, rp, lines.Span, lineCount, precision);
        var size = header.Length + lines.Length;
        await _capacity.ReserveAsync(size, cancellationToken).ConfigureAwait(false);
        long target;
        try
        {
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                var segment = _segments[^1];
                if (segment.Length > 0 && segment.Length + size > _options.EffectiveSegmentBytes)
                {
                    segment = StartSegment();
                }

                RandomAccess.Write(segment.Handle!, [header, lines], segment.Length);
                segment.Length += size;
                _appendPosition += size;
                target = _appendPosition;
                _pendingLines += lineCount;
                if (_options.Durability == SpoolDurability.OsBuffered)
                {
                    _durablePosition = target;
                }
            }
        }
        catch
        {
            _capacity.Release(size);
            throw;
        }

        await MakeDurableAsync(target).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public SpoolBatch? BeginBatch(int maxLines, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLines, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_ledger.InFlight is not null)
            {
                throw new InvalidOperationException("A spool batch is already in flight; end it before taking another.");
            }

            var position = _ledger.ReadPosition;
            var segment = _segments.Find(s => position >= s.Start && position < s.Start + s.Length);
            var limit = Math.Min(Volatile.Read(ref _durablePosition), segment is null ? 0 : segment.Start + segment.Length);
            if (segment is null || position >= limit)
            {
                return null;
            }

            var batch = ReadBatch(segment, position, limit, maxLines, maxBytes);
            if (batch is not null)
            {
                _ledger.Begin(batch);
            }

            return batch;
        }
    }

    /// <inheritdoc />
    public void EndBatch(SpoolBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        long freed;
        lock (_lock)
        {
            var before = _ledger.Checkpoint;
            _pendingLines -= _ledger.End(batch);
            freed = _ledger.Checkpoint - before;
            if (freed > 0)
            {
                WriteCheckpoint(_ledger.Checkpoint);
                DeleteConsumedSegments();
            }
        }

        batch.Lease?.Dispose();
        _capacity.Release(freed);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return ValueTask.CompletedTask;
            }

            _disposed = true;
            foreach (var segment in _segments)
            {
                segment.Handle?.Dispose();
            }
        }

        _syncLock.Dispose();
        return ValueTask.CompletedTask;
    }

    private static long Scan(Segment segment, long from, bool isLast, ILogger logger, ref long records, ref long lines)
    {
        using var stream = new FileStream(segment.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20);
        var fileLength = stream.Length;
        stream.Position = from - segment.Start;
        var position = from;
        var record = new byte[64 * 1024];
        while (position < segment.Start + fileLength)
        {
            var offset = position - segment.Start;
            var problem = ReadRecord(stream, fileLength - offset, ref record, out var lineCount, out var size);
            if (problem is not null)
            {
                if (!isLast)
                {
                    throw new SpoolCorruptException(segment.Path, offset, problem);
                }

                Log.SpoolTornTail(logger, fileLength - offset, offset, segment.Path);
                using var truncate = File.OpenHandle(segment.Path, FileMode.Open, FileAccess.ReadWrite);
                RandomAccess.SetLength(truncate, offset);
                RandomAccess.FlushToDisk(truncate);
                break;
            }

            records++;
            lines += lineCount;
            position += size;
        }

        segment.Length = position - segment.Start;
        return position;
    }

    private static string? ReadRecord(FileStream stream, long available, ref byte[] buffer, out int lineCount, out int size)
    {
        lineCount = 0;
        size = 0;
        if (available < SpoolRecordFormat.PrefixBytes)
        {
            return "incomplete record prefix";
        }

        stream.ReadExactly(buffer, 0, SpoolRecordFormat.PrefixBytes);
        if (!SpoolRecordFormat.TryReadBodyLength(buffer, out var bodyLength))
        {
            return "record length out of range";
        }

        size = SpoolRecordFormat.PrefixBytes + bodyLength;
        if (size > available)
        {
            return "record runs past the end of the file";
        }

        if (buffer.Length < size)
        {
            var bigger = new byte[size];
            buffer.AsSpan(0, SpoolRecordFormat.PrefixBytes).CopyTo(bigger);
            buffer = bigger;
        }

        stream.ReadExactly(buffer, SpoolRecordFormat.PrefixBytes, bodyLength);
        return SpoolRecordFormat.Validate(buffer.AsSpan(0, size), out lineCount, out _, out _);
    }

    private static long? ReadCheckpoint(string directory)
    {
        var path = Path.Combine(directory, CheckpointFile);
        if (!File.Exists(path))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != 12 || Crc32C.Compute(bytes.AsSpan(0, 8)) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)))
        {
            // A lost checkpoint only means re-sending from the oldest segment; writes are idempotent.
            return null;
        }

        return BinaryPrimitives.ReadInt64LittleEndian(bytes);
    }

    private static IEnumerable<(long Start, string Path)> ListSegments(string directory)
    {
        var found = new List<(long, string)>();
        foreach (var path in System.IO.Directory.EnumerateFiles(directory, "*" + SegmentExtension))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var start))
            {
                found.Add((start, path));
            }
        }

        found.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return found;
    }

    private async ValueTask MakeDurableAsync(long target)
    {
        if (Volatile.Read(ref _durablePosition) >= target)
        {
            return;
        }

        await _syncLock.WaitAsync().ConfigureAwait(false);
        try
        {
            // Group commit: whoever gets here first fsyncs everything appended so far, for all waiting appends.
            if (Volatile.Read(ref _durablePosition) >= target)
            {
                return;
            }

            SafeFileHandle handle;
            long upTo;
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                handle = _segments[^1].Handle!;
                upTo = _appendPosition;
            }

            RandomAccess.FlushToDisk(handle);
            lock (_lock)
            {
                _durablePosition = Math.Max(_durablePosition, upTo);
            }
        }
        finally
        {
            _syncLock.Release();
        }
    }

    private Segment StartSegment()
    {
        if (_segments.Count > 0 && _options.Durability == SpoolDurability.Fsync)
        {
            RandomAccess.FlushToDisk(_segments[^1].Handle!);
            _durablePosition = Math.Max(_durablePosition, _appendPosition);
        }

        var path = Path.Combine(_options.Directory, _appendPosition.ToString("D20", CultureInfo.InvariantCulture) + SegmentExtension);
        var segment = new Segment(_appendPosition, path, 0)
        {
            Handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read),
        };
        _segments.Add(segment);
        if (_options.Durability == SpoolDurability.Fsync)
        {
            DirectorySync.Flush(_options.Directory);
        }

        return segment;
    }

    private SpoolBatch? ReadBatch(Segment segment, long position, long limit, int maxLines, int maxBytes)
    {
        var toRead = (int)Math.Min(limit - position, (long)maxBytes + (64 << 10));
        var lease = new PooledBytes(toRead);
        var read = RandomAccess.Read(segment.Handle!, lease.Array.AsSpan(0, toRead), position - segment.Start);
        if (SpoolRecordFormat.TryReadBodyLength(lease.Array, out var firstBody) && SpoolRecordFormat.PrefixBytes + firstBody > read
            && position + SpoolRecordFormat.PrefixBytes + firstBody <= limit)
        {
            // The first record alone is bigger than the read window: read it whole.
            lease.Dispose();
            toRead = SpoolRecordFormat.PrefixBytes + firstBody;
            lease = new PooledBytes(toRead);
            read = RandomAccess.Read(segment.Handle!, lease.Array.AsSpan(0, toRead), position - segment.Start);
        }

        var records = new List<SpoolRecord>();
        var nextIds = new List<long>();
        var buffer = lease.Array;
        var offset = 0;
        long lines = 0;
        long bytes = 0;
        WritePrecision precision = default;
        string? rp = null;
        while (offset + SpoolRecordFormat.PrefixBytes <= read)
        {
            var fileOffset = position - segment.Start + offset;
            if (!SpoolRecordFormat.TryReadBodyLength(buffer.AsSpan(offset), out var bodyLength))
            {
                throw new SpoolCorruptException(segment.Path, fileOffset, "record length out of range");
            }

            var size = SpoolRecordFormat.PrefixBytes + bodyLength;
            if (offset + size > read)
            {
                break;
            }

            var problem = SpoolRecordFormat.Validate(buffer.AsSpan(offset, size), out var lineCount, out var recordPrecision, out var rpLength);
            if (problem is not null)
            {
                throw new SpoolCorruptException(segment.Path, fileOffset, problem);
            }

            var id = position + offset;
            if (_ledger.IsDoneAhead(id, out _))
            {
                offset += size;
                continue;
            }

            var header = SpoolRecordFormat.HeaderBytes(rpLength);
            var recordRp = rpLength == 0 ? null : Encoding.UTF8.GetString(buffer, offset + SpoolRecordFormat.PrefixBytes + SpoolRecordFormat.BodyHeaderBytes, rpLength);
            if (records.Count > 0 && (recordPrecision != precision || recordRp != rp || lines + lineCount > maxLines || bytes + size - header > maxBytes))
            {
                break;
            }

            precision = recordPrecision;
            rp = recordRp;
            records.Add(new SpoolRecord(id, lineCount, buffer.AsMemory(offset + header, size - header)));
            nextIds.Add(id + size);
            lines += lineCount;
            bytes += size - header;
            offset += size;
        }

        if (records.Count == 0)
        {
            lease.Dispose();
            return null;
        }

        return new SpoolBatch([.. records], [.. nextIds], precision, rp, this, lease);
    }

    private void WriteCheckpoint(long checkpoint)
    {
        var bytes = new byte[12];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, checkpoint);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), Crc32C.Compute(bytes.AsSpan(0, 8)));
        var path = Path.Combine(_options.Directory, CheckpointFile);
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }

    private void DeleteConsumedSegments()
    {
        while (_segments.Count > 1 && _segments[0].Start + _segments[0].Length <= _ledger.Checkpoint)
        {
            var segment = _segments[0];
            segment.Handle?.Dispose();
            File.Delete(segment.Path);
            _segments.RemoveAt(0);
        }
    }

    private sealed class Segment(long start, string path, long length)
    {
        public long Start { get; } = start;

        public string Path { get; } = path;

        public long Length { get; set; } = length;

        public SafeFileHandle? Handle { get; set; }
    }
}
