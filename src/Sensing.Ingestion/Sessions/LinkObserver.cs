using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Channels;
using Sensing.Protocol.Control;
using Sensing.Protocol.Link;

namespace Sensing.Ingestion.Sessions;

/// <summary>
/// One connection's receiving end. Motion Data notifications are appended to a pipe that the session's frame reader
/// drains (firmware-protocol: a notification is one frame; the parser resyncs over anything else); Control Point
/// indications are parsed into a small channel; Status notifications update <see cref="LatestStatus"/>.
/// </summary>
/// <remarks>
/// Memory is bounded per band: when the reader is more than <c>maxBufferedBytes</c> behind, a notification is shed
/// (counted) instead of queued. The band keeps every sample in flash, so a shed frame is a gap that is backfilled
/// once the gateway catches up: this is how storage back-pressure reaches the band. Never blocks the transport;
/// calls are serialised here because not every transport keeps to one thread (the in-memory link calls from
/// whichever side caused the value).
/// </remarks>
internal sealed class LinkObserver : IGattLinkObserver
{
    private readonly Pipe _pipe = new(new PipeOptions(NotificationBlockPool.Instance, pauseWriterThreshold: 0, resumeWriterThreshold: 0, minimumSegmentSize: NotificationBlockPool.BlockBytes, useSynchronizationContext: false));
    private readonly Channel<ControlMessage> _control = Channel.CreateBounded<ControlMessage>(
        new BoundedChannelOptions(64) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.DropWrite });
    // Under _gate: a plain queue of the few notifications the reader has not parsed yet, where a ConcurrentQueue's
    // first segment alone would be a kilobyte per band.
    private readonly Queue<(long EndOffset, long Timestamp)> _arrivals = new();
    private readonly TaskCompletionSource _down = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly int _maxBufferedBytes;
    private long _written;
    private long _consumed;
    private DeviceStatus? _status;

    /// <param name="time">The clock of arrival times (real time: latency is a property of the gateway, not of simulated days).</param>
    /// <param name="maxBufferedBytes">Notification bytes ahead of the reader at most.</param>
    public LinkObserver(TimeProvider time, int maxBufferedBytes)
    {
        _time = time;
        _maxBufferedBytes = maxBufferedBytes;
    }

    /// <summary>The notification stream, for the frame reader.</summary>
    public PipeReader Frames => _pipe.Reader;

    /// <summary>Parsed Control Point indications, in arrival order.</summary>
    public ChannelReader<ControlMessage> Control => _control.Reader;

    /// <summary>Completes when the link goes down.</summary>
    public Task Down => _down.Task;

    /// <summary>The newest Status notification, if any.</summary>
    public DeviceStatus? LatestStatus => _status;

    /// <summary>Notifications shed because the reader was behind.</summary>
    public long ShedNotifications { get; private set; }

    /// <summary>Indications that were not well-formed responses or events, or overflowed the channel.</summary>
    public long BadIndications { get; private set; }

    /// <summary>MTU changes seen.</summary>
    public int MtuChanges { get; private set; }

    /// <summary>The current ATT MTU as the link reported it.</summary>
    public int Mtu { get; set; }

    /// <summary>Wakes the session's control loop (a message that is neither response nor event).</summary>
    public void Wake() => _control.Writer.TryWrite(default);

    /// <summary>The reader reports how far it has parsed (stream offset), releasing that much of the budget.</summary>
    public void Consumed(long offset) => Volatile.Write(ref _consumed, offset);

    /// <summary>Arrival timestamp (TimeProvider ticks) of the notification holding stream offset <paramref name="endOffset"/> - 1.</summary>
    public long ArrivalOf(long endOffset)
    {
        long timestamp = 0;
        lock (_gate)
        {
            while (_arrivals.TryPeek(out var a) && a.EndOffset <= endOffset)
            {
                _arrivals.Dequeue();
                timestamp = a.Timestamp;
            }
        }

        return timestamp == 0 ? _time.GetTimestamp() : timestamp;
    }

    public void OnValue(Guid characteristic, ReadOnlySpan<byte> value)
    {
        lock (_gate)
        {
            Receive(characteristic, value);
        }
    }

    public void OnMtuChanged(int mtu)
    {
        Mtu = mtu;
        MtuChanges++;
    }

    public void OnDisconnected()
    {
        lock (_gate)
        {
            _pipe.Writer.Complete();
            _control.Writer.TryComplete();
        }

        _down.TrySetResult();
    }

    private void Receive(Guid characteristic, ReadOnlySpan<byte> value)
    {
        if (characteristic == WristbandUuids.MotionData)
        {
            if (_written + value.Length - Volatile.Read(ref _consumed) > _maxBufferedBytes)
            {
                ShedNotifications++;
                return;
            }

            _pipe.Writer.Write(value);
            _written += value.Length;
            _arrivals.Enqueue((_written, _time.GetTimestamp()));
            var flush = _pipe.Writer.FlushAsync(); // never pauses (no threshold): completes synchronously
            if (flush.IsCompleted)
            {
                flush.GetAwaiter().GetResult();
            }
            else
            {
                _ = flush.AsTask();
            }
        }
        else if (characteristic == WristbandUuids.ControlPoint)
        {
            if (!ControlMessage.TryParse(value, out var message) || !_control.Writer.TryWrite(message))
            {
                BadIndications++;
            }
        }
        else if (characteristic == WristbandUuids.Status && DeviceStatus.TryParse(value, out var status))
        {
            _status = status;
        }
    }

}
