using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Sensing.Ingestion.Hosting;
using Sensing.Ingestion.Journal;
using Sensing.Ingestion.Processing;
using Sensing.Protocol.Frames;

namespace Sensing.Ingestion.Sessions;

/// <summary>
/// Between a band's session and its <see cref="BandStream"/>: every record the stream takes is appended to the
/// journal at once (in order) and queued; the apply loop waits until a batch's commit is durable, then applies it to
/// the stream (pipeline, minutes) and publishes the durable position that may be acknowledged to the band.
/// </summary>
/// <remarks>
/// The queue is bounded by <see cref="SessionOptions.MaxPendingSamples"/>: the session sheds frames while it is full,
/// which is how a slow disk or a full InfluxDB spool reaches the band (it keeps the data in flash). Record methods
/// are called under the session's lock; the apply loop runs on its own task.
/// </remarks>
internal sealed class StreamRecorder : IStreamRecords, IDisposable
{
    private readonly BandStream _stream;
    private readonly SampleJournal _journal;
    private readonly IngestionMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Func<CancellationToken, ValueTask> _waitForRoom;
    private readonly Lock _gate = new();
    // The apply loop's wake-up: a one-slot channel awaited without a token uses its reader's one reusable waiter, where
    // a semaphore wait would allocate a task, a node and a cancellation promise each second for every band.
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private Batch _queue = new();
    private Batch? _spare = new(); // null while a second apply (shutdown's drain) holds it
    private long _pendingSamples;
    private long _durable = -1;
    private long _arrival;
    private bool _historical;
    private bool _pushDue;

    public StreamRecorder(BandStream stream, SampleJournal journal, IngestionMetrics metrics, ILogger logger, Func<CancellationToken, ValueTask> waitForRoom)
    {
        _stream = stream;
        _journal = journal;
        _metrics = metrics;
        _logger = logger;
        _waitForRoom = waitForRoom;
        Publish();
    }

    /// <summary>Samples appended and not yet applied.</summary>
    public long PendingSamples => Interlocked.Read(ref _pendingSamples);

    /// <summary>The durable, applied position (what may be acknowledged); null before the first contact.</summary>
    public StreamPosition? Durable
    {
        get
        {
            var packed = Interlocked.Read(ref _durable);
            return packed < 0 ? null : new StreamPosition((byte)(packed >> 32), (uint)packed);
        }
    }

    /// <summary>The arrival time and kind of the frame being recorded next (for the latency histogram).</summary>
    public void NextFrameArrived(long timestamp, bool historical)
    {
        _arrival = timestamp;
        _historical = historical;
    }

    public void Samples(in FrameHeader header, ReadOnlySpan<short> x, ReadOnlySpan<short> y, ReadOnlySpan<short> z)
    {
        Span<byte> payload = stackalloc byte[FrameFormat.MaxFrameBytes];
        var length = FrameEncoder.Encode(header.Type, header.RateCode, header.RangeCode, header.BootId, header.Sequence, header.Tick, x, y, z, payload);
        Append(JournalRecordKind.Samples, payload[..length], header.Count);
    }

    public void Lost(byte boot, uint first, uint count, LossReason reason)
    {
        Span<byte> payload = stackalloc byte[JournalPayloads.LostRangeBytes];
        JournalPayloads.WriteLostRange(payload, boot, first, count, reason);
        Append(JournalRecordKind.LostRange, payload, 0);
        _metrics.OnLost(count);
        Log.SamplesLost(_logger, _stream.Band.Id, boot, first, first + count - 1, reason.ToString());
    }

    public void BootFinished(byte boot, uint end)
    {
        AppendPosition(JournalRecordKind.BootFinished, boot, end);
        Log.BootFinished(_logger, _stream.Band.Id, boot, end, (byte)(boot + 1));
    }

    public void Start(byte boot, uint index) => AppendPosition(JournalRecordKind.StreamStart, boot, index);

    /// <summary>A clock observation of the band (SET_TIME or READ_CLOCK round trip).</summary>
    public void Observation(byte boot, uint tick, long unixMicros)
    {
        Span<byte> payload = stackalloc byte[JournalPayloads.ClockObservationBytes];
        JournalPayloads.WriteClockObservation(payload, boot, tick, unixMicros);
        Append(JournalRecordKind.ClockObservation, payload, 0);
    }

    /// <summary>The band stopped producing samples while caught up: complete its pipeline.</summary>
    public void Completed() => Append(JournalRecordKind.StreamCompleted, [], 0);

    /// <inheritdoc />
    public void Dispose() => _signal.Writer.TryComplete();

    /// <summary>Asks the apply loop to write the minutes the pipeline finished (the runtime's one timer calls it for every band).</summary>
    public void PushSoon()
    {
        Volatile.Write(ref _pushDue, true);
        Signal();
    }

    /// <summary>Applies durable records until cancelled; writes finished minutes when <see cref="PushSoon"/> asks.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = cancellationToken.UnsafeRegister(static r => ((StreamRecorder)r!).Signal(), this);
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!await _signal.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                break;
            }

            _signal.Reader.TryRead(out _);
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            await ApplyQueuedAsync(cancellationToken).ConfigureAwait(false);
            if (Volatile.Read(ref _pushDue))
            {
                Volatile.Write(ref _pushDue, false);
                _stream.Flush();
            }
        }
    }

    /// <summary>Applies everything queued once durable (also used at shutdown, after the journal's last commit).</summary>
    /// <remarks>Pooled: every band calls it for each commit and it waits for the commit's fsync.</remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ApplyQueuedAsync(CancellationToken cancellationToken)
    {
        Batch batch;
        lock (_gate)
        {
            if (_queue.Records.Count == 0)
            {
                return;
            }

            batch = _queue;
            _queue = _spare ?? new Batch();
            _spare = null;
        }

        await _waitForRoom(cancellationToken).ConfigureAwait(false);
        await batch.Records[^1].Durable.ConfigureAwait(false); // commits complete in order: the last one covers the batch
        var now = TimeProvider.System.GetTimestamp(); // arrival times are real time too
        long samples = 0;
        foreach (var item in batch.Records)
        {
            _stream.Apply(item.Kind, batch.Payload(item));
            if (item.Samples > 0)
            {
                samples += item.Samples;
                _metrics.OnSamples(item.Samples, item.Historical);
                if (item.Arrival != 0)
                {
                    _metrics.OnDurable(TimeProvider.System.GetElapsedTime(item.Arrival, now));
                }
            }
        }

        Interlocked.Add(ref _pendingSamples, -samples);
        batch.Clear();
        lock (_gate)
        {
            _spare = batch;
        }

        Publish();
    }

    private void AppendPosition(JournalRecordKind kind, byte boot, uint index)
    {
        Span<byte> payload = stackalloc byte[JournalPayloads.PositionBytes];
        JournalPayloads.WritePosition(payload, boot, index);
        Append(kind, payload, 0);
    }

    private void Append(JournalRecordKind kind, ReadOnlySpan<byte> payload, int samples)
    {
        var durable = _journal.Append(_stream.Band.Key, kind, payload);
        lock (_gate)
        {
            _queue.Add(kind, payload, durable, samples > 0 ? _arrival : 0, _historical, samples);
        }

        Interlocked.Add(ref _pendingSamples, samples);
        Signal();
    }

    private void Signal() => _signal.Writer.TryWrite(true);

    private void Publish()
    {
        var position = _stream.Position;
        Interlocked.Exchange(ref _durable, position is { } p ? ((long)p.Boot << 32) | p.Next : -1);
    }

    private readonly record struct Pending(JournalRecordKind Kind, int Offset, int Length, Task Durable, long Arrival, bool Historical, int Samples);

    /// <summary>
    /// Records waiting for their commit, their payloads end to end in one array: a band's queue and its spare swap
    /// at each apply and keep their capacity, so recording a frame allocates nothing (a pooled array per frame would
    /// be held past the collector's young generations until the fsync, 10,000 bands over).
    /// </summary>
    private sealed class Batch
    {
        private const int InitialBytes = 2 * FrameFormat.MaxFrameBytes;
        private const int TrimAbove = 16 * 1024;
        private byte[] _bytes = new byte[InitialBytes];
        private int _used;

        public List<Pending> Records { get; } = [];

        public void Add(JournalRecordKind kind, ReadOnlySpan<byte> payload, Task durable, long arrival, bool historical, int samples)
        {
            if (_used + payload.Length > _bytes.Length)
            {
                Array.Resize(ref _bytes, Math.Max(2 * _bytes.Length, _used + payload.Length));
            }

            payload.CopyTo(_bytes.AsSpan(_used));
            Records.Add(new Pending(kind, _used, payload.Length, durable, arrival, historical, samples));
            _used += payload.Length;
        }

        public ReadOnlySpan<byte> Payload(in Pending record) => _bytes.AsSpan(record.Offset, record.Length);

        public void Clear()
        {
            Records.Clear();
            _used = 0;
            if (_bytes.Length > TrimAbove)
            {
                // A backfill burst queues hundreds of frames per commit; live, a band queues one or two.
                _bytes = new byte[InitialBytes];
                Records.Capacity = 4;
            }
        }
    }
}
