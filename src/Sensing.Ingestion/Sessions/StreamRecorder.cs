using System.Buffers;
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
    private readonly SemaphoreSlim _signal = new(0, 1);
    private List<Pending> _queue = [];
    private List<Pending> _spare = [];
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
        var payload = ArrayPool<byte>.Shared.Rent(FrameFormat.MaxFrameBytes);
        var length = FrameEncoder.Encode(header.Type, header.RateCode, header.RangeCode, header.BootId, header.Sequence, header.Tick, x, y, z, payload);
        Append(JournalRecordKind.Samples, payload, length, header.Count);
    }

    public void Lost(byte boot, uint first, uint count, LossReason reason)
    {
        var payload = ArrayPool<byte>.Shared.Rent(JournalPayloads.LostRangeBytes);
        JournalPayloads.WriteLostRange(payload, boot, first, count, reason);
        Append(JournalRecordKind.LostRange, payload, JournalPayloads.LostRangeBytes, 0);
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
        var payload = ArrayPool<byte>.Shared.Rent(JournalPayloads.ClockObservationBytes);
        JournalPayloads.WriteClockObservation(payload, boot, tick, unixMicros);
        Append(JournalRecordKind.ClockObservation, payload, JournalPayloads.ClockObservationBytes, 0);
    }

    /// <summary>The band stopped producing samples while caught up: complete its pipeline.</summary>
    public void Completed() => Append(JournalRecordKind.StreamCompleted, ArrayPool<byte>.Shared.Rent(1), 0, 0);

    /// <inheritdoc />
    public void Dispose() => _signal.Dispose();

    /// <summary>Asks the apply loop to write the minutes the pipeline finished (the runtime's one timer calls it for every band).</summary>
    public void PushSoon()
    {
        Volatile.Write(ref _pushDue, true);
        Signal();
    }

    /// <summary>Applies durable records until cancelled; writes finished minutes when <see cref="PushSoon"/> asks.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _signal.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
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
    public async Task ApplyQueuedAsync(CancellationToken cancellationToken)
    {
        List<Pending> batch;
        lock (_gate)
        {
            if (_queue.Count == 0)
            {
                return;
            }

            batch = _queue;
            _queue = _spare;
            _spare = [];
        }

        await _waitForRoom(cancellationToken).ConfigureAwait(false);
        await batch[^1].Durable.ConfigureAwait(false); // commits complete in order: the last one covers the batch
        var now = TimeProvider.System.GetTimestamp(); // arrival times are real time too
        long samples = 0;
        foreach (var item in batch)
        {
            _stream.Apply(item.Kind, item.Payload.AsSpan(0, item.Length));
            ArrayPool<byte>.Shared.Return(item.Payload);
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
        _spare = batch;
        Publish();
    }

    private void AppendPosition(JournalRecordKind kind, byte boot, uint index)
    {
        var payload = ArrayPool<byte>.Shared.Rent(JournalPayloads.PositionBytes);
        JournalPayloads.WritePosition(payload, boot, index);
        Append(kind, payload, JournalPayloads.PositionBytes, 0);
    }

    private void Append(JournalRecordKind kind, byte[] payload, int length, int samples)
    {
        var durable = _journal.Append(_stream.Band.Key, kind, payload.AsSpan(0, length));
        lock (_gate)
        {
            _queue.Add(new Pending(kind, payload, length, durable, samples > 0 ? _arrival : 0, _historical, samples));
        }

        Interlocked.Add(ref _pendingSamples, samples);
        Signal();
    }

    private void Signal()
    {
        try
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }
        catch (Exception ex) when (ex is SemaphoreFullException or ObjectDisposedException)
        {
        }
    }

    private void Publish()
    {
        var position = _stream.Position;
        Interlocked.Exchange(ref _durable, position is { } p ? ((long)p.Boot << 32) | p.Next : -1);
    }

    private readonly record struct Pending(JournalRecordKind Kind, byte[] Payload, int Length, Task Durable, long Arrival, bool Historical, int Samples);
}
