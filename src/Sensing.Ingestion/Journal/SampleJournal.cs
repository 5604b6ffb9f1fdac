using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;
using Sensing.Ingestion.Hosting;

namespace Sensing.Ingestion.Journal;

/// <summary>
/// The gateway's durable record of what its wristbands sent: every band's in-order sample stream, clock
/// observations and stream events, in one append-only log of CRC-checked records (segment files
/// <c>{n:D10}.journal</c>). A band is acknowledged only for data whose records are durable here, and a restart
/// (also after kill -9) rebuilds every band's stream, hence its pipeline state, by reading the journal back.
/// </summary>
/// <remarks>
/// <para>Group commit: <see cref="Append"/> copies the record into the open commit buffer and returns that commit's
/// task; one flusher writes and fsyncs the buffer every <see cref="SampleJournalOptions.CommitInterval"/>, so the
/// cost is one fsync per interval whatever the number of bands. One log for all bands, because one file per band
/// would spend a file descriptor per band beside its socket.</para>
/// <para>Recovery (<see cref="Recover"/>): every record is CRC-checked; a bad record at the end of the newest segment
/// is the torn tail of a commit that never returned, so nothing in it was acknowledged: it is cut off. A bad record
/// anywhere else stops the start with <see cref="JournalCorruptException"/>. Appends after recovery go to a new
/// segment. Closed segments older than <see cref="SampleJournalOptions.Retention"/> are deleted.</para>
/// <para>Thread-safe. One process per directory.</para>
/// </remarks>
public sealed class SampleJournal : IAsyncDisposable
{
    private const string Extension = ".journal";
    private readonly SampleJournalOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Task _flusher;
    private byte[] _open = new byte[1 << 16];
    private byte[] _spare = new byte[1 << 16];
    private int _openLength;
    private TaskCompletionSource _openCommit = NewCommit();
    private SafeFileHandle _segment;
    private string _segmentPath;
    private long _segmentLength;
    private long _nextSegment;
    private long _bytesWritten;
    private long _commits;
    private Exception? _failure;

    private SampleJournal(SampleJournalOptions options, long nextSegment, ILogger logger, TimeProvider time)
    {
        _options = options;
        _logger = logger;
        _time = time;
        _nextSegment = nextSegment;
        (_segment, _segmentPath) = CreateSegment();
        _flusher = Task.Run(FlushLoopAsync);
    }

    /// <summary>Bytes made durable since this process opened the journal.</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <summary>Group commits (fsyncs) so far.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>
    /// Reads every record in <paramref name="options"/>' directory, oldest first, into <paramref name="visit"/>,
    /// then opens the journal for appends.
    /// </summary>
    /// <exception cref="JournalCorruptException">A segment is damaged other than at the torn tail of the newest one.</exception>
    public static SampleJournal Recover(SampleJournalOptions options, JournalVisitor visit, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(visit);
        options.Validate();
        logger ??= NullLogger.Instance;
        time ??= TimeProvider.System;
        Directory.CreateDirectory(options.Directory);
        var segments = ListSegments(options.Directory);
        DeleteExpired(segments, options, logger, time);
        long records = 0;
        for (var i = 0; i < segments.Count; i++)
        {
            records += ReadSegment(segments[i].Path, isNewest: i == segments.Count - 1, visit, logger);
        }

        var next = segments.Count == 0 ? 0 : segments[^1].Number + 1;
        Log.JournalRecovered(logger, options.Directory, segments.Count, records);
        return new SampleJournal(options, next, logger, time);
    }

    /// <summary>
    /// Adds one record to the open commit. The returned task completes once the record is durable (written and
    /// fsynced); only then may what it says be acknowledged to the band.
    /// </summary>
    /// <exception cref="ArgumentException">The band key or payload is too long.</exception>
    /// <exception cref="IOException">An earlier commit failed: the journal no longer accepts records.</exception>
    public Task Append(ReadOnlySpan<byte> bandKey, JournalRecordKind kind, ReadOnlySpan<byte> payload)
    {
        if (bandKey.Length is 0 or > 64 || payload.Length > JournalFormat.MaxBodyBytes - 66)
        {
            throw new ArgumentException($"Journal record too long: band key {bandKey.Length} bytes (1..64), payload {payload.Length} bytes.");
        }

        var size = JournalFormat.RecordBytes(bandKey.Length, payload.Length);
        lock (_gate)
        {
            if (_failure is not null)
            {
                throw new IOException($"The sample journal in {_options.Directory} failed and accepts no more records: {_failure.Message}", _failure);
            }

            if (_openLength + size > _open.Length)
            {
                Array.Resize(ref _open, Math.Max(_open.Length * 2, _openLength + size));
            }

            JournalFormat.Write(_open.AsSpan(_openLength, size), kind, bandKey, payload);
            _openLength += size;
            return _openCommit.Task;
        }
    }

    /// <summary>Commits what is open and stops the flusher.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        Wake();
        try
        {
            await _flusher.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        Commit();
        _segment.Dispose();
        _stop.Dispose();
        _wake.Dispose();
    }

    private static TaskCompletionSource NewCommit() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (SemaphoreFullException)
        {
        }
    }

    private async Task FlushLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(_options.CommitInterval, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            Commit();
        }
    }

    private void Commit()
    {
        byte[] buffer;
        int length;
        TaskCompletionSource commit;
        lock (_gate)
        {
            if (_openLength == 0)
            {
                return;
            }

            buffer = _open;
            length = _openLength;
            commit = _openCommit;
            (_open, _spare) = (_spare, _open);
            _openLength = 0;
            _openCommit = NewCommit();
        }

        try
        {
            if (_segmentLength > 0 && _segmentLength + length > _options.SegmentBytes)
            {
                RollOver();
            }

            RandomAccess.Write(_segment, buffer.AsSpan(0, length), _segmentLength);
            if (_options.Fsync)
            {
                RandomAccess.FlushToDisk(_segment);
            }

            _segmentLength += length;
            Interlocked.Add(ref _bytesWritten, length);
            Interlocked.Increment(ref _commits);
            commit.SetResult();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A commit that cannot be made durable is never acknowledged; the bands keep the data in flash.
            lock (_gate)
            {
                _failure = ex;
            }

            Log.JournalFailed(_logger, _segmentPath, ex);
            commit.SetException(new IOException($"Sample journal commit to {_segmentPath} failed: {ex.Message}", ex));
        }
    }

    private void RollOver()
    {
        _segment.Dispose();
        (_segment, _segmentPath) = CreateSegment();
        DeleteExpired(ListSegments(_options.Directory).Where(s => s.Path != _segmentPath).ToList(), _options, _logger, _time);
    }

    private (SafeFileHandle, string) CreateSegment()
    {
        var path = Path.Combine(_options.Directory, _nextSegment.ToString("D10", CultureInfo.InvariantCulture) + Extension);
        _nextSegment++;
        _segmentLength = 0;
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        if (_options.Fsync)
        {
            // The new name must survive a power loss before records in it are acknowledged.
            Sensing.Storage.Spool.DirectorySync.Flush(_options.Directory);
        }

        return (handle, path);
    }

    private static List<(long Number, string Path)> ListSegments(string directory)
    {
        var found = new List<(long, string)>();
        foreach (var path in Directory.EnumerateFiles(directory, "*" + Extension))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                found.Add((n, path));
            }
        }

        found.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return found;
    }

    private static void DeleteExpired(List<(long Number, string Path)> segments, SampleJournalOptions options, ILogger logger, TimeProvider time)
    {
        // Oldest first, and never the newest: a stream is only ever cut at its beginning.
        var cutoff = time.GetUtcNow() - options.Retention;
        while (segments.Count > 1 && File.GetLastWriteTimeUtc(segments[0].Path) < cutoff.UtcDateTime)
        {
            Log.JournalSegmentExpired(logger, segments[0].Path, options.Retention.TotalHours);
            File.Delete(segments[0].Path);
            segments.RemoveAt(0);
        }
    }

    private static long ReadSegment(string path, bool isNewest, JournalVisitor visit, ILogger logger)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var length = stream.Length;
        Span<byte> prefix = stackalloc byte[JournalFormat.PrefixBytes];
        var body = new byte[JournalFormat.MaxBodyBytes];
        long offset = 0;
        long records = 0;
        while (offset < length)
        {
            var problem = ReadRecord(stream, length - offset, prefix, body, out var bodyLength);
            if (problem is not null)
            {
                if (!isNewest)
                {
                    throw new JournalCorruptException(path, offset, problem);
                }

                Log.JournalTornTail(logger, length - offset, offset, path);
                stream.Dispose();
                using var truncate = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
                RandomAccess.SetLength(truncate, offset);
                RandomAccess.FlushToDisk(truncate);
                break;
            }

            visit(new JournalEntry(body.AsSpan(0, bodyLength)));
            records++;
            offset += JournalFormat.PrefixBytes + bodyLength;
        }

        return records;
    }

    private static string? ReadRecord(FileStream stream, long available, Span<byte> prefix, byte[] body, out int bodyLength)
    {
        bodyLength = 0;
        if (available < JournalFormat.PrefixBytes)
        {
            return "incomplete record prefix";
        }

        stream.ReadExactly(prefix);
        var announced = BinaryPrimitives.ReadUInt32LittleEndian(prefix);
        if (announced < 3 || announced > JournalFormat.MaxBodyBytes)
        {
            return $"record length {announced} out of range";
        }

        if (JournalFormat.PrefixBytes + announced > available)
        {
            return "record runs past the end of the file";
        }

        bodyLength = (int)announced;
        stream.ReadExactly(body.AsSpan(0, bodyLength));
        return JournalFormat.Validate(body.AsSpan(0, bodyLength), BinaryPrimitives.ReadUInt32LittleEndian(prefix[4..]));
    }
}

/// <summary>Receives the records of a journal being recovered, oldest first.</summary>
public delegate void JournalVisitor(JournalEntry entry);
