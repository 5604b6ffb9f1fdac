using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Threading.Channels;
using Sensing.Protocol.Control;
using Sensing.Protocol.Frames;
using Sensing.Protocol.Link;
using Sensing.Protocol.Time;
using Sensing.Simulator;

namespace Sensing.Protocol.Tests.Simulator;

/// <summary>
/// A minimal gateway for the simulator tests, doing what README §6-§8 ask of one: set time on connect, subscribe,
/// read the notification pipe with the real codec, keep (boot, index) coverage, backfill gaps, ACK what it holds.
/// (The production session is a later issue; this is the protocol's acceptance harness.)
/// </summary>
/// <remarks>
/// The wristband keeps recording while the gateway works: every wait here advances the band's clock, so its
/// <see cref="Sensing.Simulator.Device.WristbandDevice.NextIndex"/> moves on. Tests therefore check coverage up to an
/// end they fixed (after <c>FlushStorage</c>) or that the device announced (BACKFILL response, BACKFILL_DONE), never
/// up to the moving index.
/// </remarks>
internal sealed class TestGateway(ClockSync? clock = null) : IGattLinkObserver, IAsyncDisposable
{
    private readonly Channel<ControlMessage> _responses = Channel.CreateUnbounded<ControlMessage>();
    private readonly Lock _gate = new();
    private Pipe _pipe = NewPipe();
    private Task? _reading;
    private long _written;
    private long _lastValueTimestamp;
    private int _backfillsDone;

    public IGattLink? Link { get; private set; }

    /// <summary>Clock fits per boot; pass one in to keep the fits of an earlier connection (a gateway's memory of the band).</summary>
    public ClockSync Clock { get; } = clock ?? new ClockSync();

    public FrameParser Parser { get; } = new();

    /// <summary>x count of every received sample by (boot, index); duplicates must agree.</summary>
    public ConcurrentDictionary<(byte Boot, uint Index), short> Samples { get; } = new();

    /// <summary>Device tick of every received sample by (boot, index), from its frame's tick and the rate.</summary>
    public ConcurrentDictionary<(byte Boot, uint Index), double> Ticks { get; } = new();

    public ConcurrentQueue<ControlMessage> Events { get; } = new();

    public ConcurrentQueue<int> NotificationLengths { get; } = new();

    public ConcurrentQueue<FrameHeader> Frames { get; } = new();

    /// <summary>The BACKFILL_DONE that ended the latest <see cref="BackfillAsync"/>; null when the link dropped first.</summary>
    public ControlMessage? LastBackfillDone { get; private set; }

    public int DuplicateConflicts;

    public int MtuChanges;

    /// <summary>Status values the band notified (README §4: when a flag changes), when subscribed.</summary>
    public ConcurrentQueue<DeviceStatus> StatusNotifications { get; } = new();

    public async Task ConnectAsync(IGattConnector connector, int mtu, long wallMicros, bool setTime = true, bool subscribeStatus = false)
    {
        _pipe = NewPipe();
        _reading = FramePipeReader.ReadAsync(_pipe.Reader, Parser, new Handler(this), CancellationToken.None);
        Link = await connector.ConnectAsync(this, mtu, CancellationToken.None);
        var found = await Link.DiscoverAsync(CancellationToken.None);
        Assert.Contains(found, c => c.Uuid == WristbandUuids.MotionData);
        await Link.SubscribeAsync(WristbandUuids.ControlPoint, CancellationToken.None);
        await Link.SubscribeAsync(WristbandUuids.MotionData, CancellationToken.None);
        if (subscribeStatus)
        {
            await Link.SubscribeAsync(WristbandUuids.Status, CancellationToken.None);
        }

        if (setTime)
        {
            await SetTimeAsync(wallMicros);
        }
    }

    public async Task SetTimeAsync(long wallMicros)
    {
        var set = await RequestAsync(ControlRequests.SetTime(wallMicros));
        Assert.Equal(ControlResult.Success, set.Result);
        Clock.Observe(set.BootId, set.Tick, wallMicros);
    }

    public async Task<DeviceStatus> ReadStatusAsync()
    {
        Assert.True(DeviceStatus.TryParse(await Link!.ReadAsync(WristbandUuids.Status, CancellationToken.None), out var status));
        return status;
    }

    public async Task<ControlMessage> RequestAsync(byte[] request)
    {
        await Link!.WriteAsync(WristbandUuids.ControlPoint, request, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var response = await _responses.Reader.ReadAsync(timeout.Token);
        Assert.Equal(request.Length == 0 ? ControlOpcode.None : (ControlOpcode)request[0], response.Opcode);
        return response;
    }

    /// <summary>Waits until the pipe reader has processed everything written so far.</summary>
    public async Task DrainAsync()
    {
        for (int i = 0; i < 500 && Parser.Offset < Interlocked.Read(ref _written); i++)
        {
            await Task.Delay(5);
        }

        Assert.Equal(Interlocked.Read(ref _written), Parser.Offset);
    }

    /// <summary>
    /// For a link that delivers on its own thread (the loopback socket): waits until no value has arrived for
    /// <paramref name="quietMillis"/>, then drains the pipe.
    /// </summary>
    public async Task SettleAsync(int quietMillis = 100)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        for (int i = 0; i < 100; i++)
        {
            // Quiet since the later of the call and the last value (values sent just before the call are in flight).
            long last = Math.Max(start, Interlocked.Read(ref _lastValueTimestamp));
            if (System.Diagnostics.Stopwatch.GetElapsedTime(last).TotalMilliseconds >= quietMillis)
            {
                break;
            }

            await Task.Delay(quietMillis / 4);
        }

        await DrainAsync();
    }

    public async Task CloseAsync()
    {
        if (Link is not null)
        {
            await Link.DisconnectAsync();
        }

        if (_reading is not null)
        {
            await _reading;
        }
    }

    /// <summary>Index ranges [first, end) of <paramref name="boot"/> in [start, end) that never arrived.</summary>
    public List<(uint First, uint End)> Gaps(byte boot, uint start, uint end)
    {
        var gaps = new List<(uint, uint)>();
        uint? open = null;
        for (uint i = start; i < end; i++)
        {
            bool have = Samples.ContainsKey((boot, i));
            if (!have && open is null)
            {
                open = i;
            }
            else if (have && open is not null)
            {
                gaps.Add((open.Value, i));
                open = null;
            }
        }

        if (open is not null)
        {
            gaps.Add((open.Value, end));
        }

        return gaps;
    }

    /// <summary>
    /// BACKFILLs one range and, on SUCCESS, advances the band until this request's BACKFILL_DONE arrives (or the link
    /// drops); <see cref="LastBackfillDone"/> holds that event.
    /// </summary>
    public async Task<ControlMessage> BackfillAsync(SimulatedWristband band, byte boot, uint first, uint last)
    {
        LastBackfillDone = null;
        int doneBefore = Volatile.Read(ref _backfillsDone);
        var response = await RequestAsync(ControlRequests.Backfill(boot, first, last));
        if (response.Result != ControlResult.Success)
        {
            return response;
        }

        for (int i = 0; i < 10_000 && Volatile.Read(ref _backfillsDone) == doneBefore && Link!.IsConnected; i++)
        {
            band.Advance(TimeSpan.FromMilliseconds(100));

            // The in-memory link delivers synchronously; a socket link needs a moment before the band moves on.
            for (int wait = 0; wait < 20 && Volatile.Read(ref _backfillsDone) == doneBefore && Link.IsConnected; wait++)
            {
                await Task.Delay(1);
            }
        }

        if (Volatile.Read(ref _backfillsDone) != doneBefore)
        {
            LastBackfillDone = Events.Last(e => e.Event == ControlEventCode.BackfillDone);
        }

        await DrainAsync();
        return response;
    }

    /// <summary>Takes over what a later connection (another gateway instance) received, as a restarted gateway would.</summary>
    public void Adopt(TestGateway other)
    {
        foreach (var (key, x) in other.Samples)
        {
            Samples.TryAdd(key, x);
        }
    }

    /// <summary>Historical samples received so far (re-sent samples counted each time).</summary>
    public long HistoricalSamples => Frames.Where(f => f.Type == FrameType.Historical).Sum(f => (long)f.Count);

    public ValueTask DisposeAsync() => new(CloseAsync());

    public void OnValue(Guid characteristic, ReadOnlySpan<byte> value)
    {
        Interlocked.Exchange(ref _lastValueTimestamp, System.Diagnostics.Stopwatch.GetTimestamp());
        if (characteristic == WristbandUuids.MotionData)
        {
            NotificationLengths.Enqueue(value.Length);
            lock (_gate)
            {
                _pipe.Writer.Write(value);
                Interlocked.Add(ref _written, value.Length);
                _pipe.Writer.FlushAsync().AsTask().GetAwaiter().GetResult();
            }

            return;
        }

        if (characteristic == WristbandUuids.Status)
        {
            Assert.True(DeviceStatus.TryParse(value, out var status), $"a {value.Length}-byte Status notification");
            StatusNotifications.Enqueue(status);
            return;
        }

        if (characteristic == WristbandUuids.ControlPoint && ControlMessage.TryParse(value, out var message))
        {
            if (message.IsResponse)
            {
                _responses.Writer.TryWrite(message);
            }
            else
            {
                Events.Enqueue(message);
                if (message.Event == ControlEventCode.BackfillDone)
                {
                    Interlocked.Increment(ref _backfillsDone);
                }
            }
        }
    }

    public void OnMtuChanged(int mtu) => Interlocked.Increment(ref MtuChanges);

    public void OnDisconnected()
    {
        lock (_gate)
        {
            _pipe.Writer.Complete();
        }
    }

    private static Pipe NewPipe() => new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));

    private readonly struct Handler(TestGateway gateway) : IFrameHandler
    {
        public void OnFrame(in FrameHeader header, ReadOnlySpan<short> x, ReadOnlySpan<short> y, ReadOnlySpan<short> z)
        {
            gateway.Frames.Enqueue(header);
            double period = FrameFormat.PeriodMicros(header.RateCode) / 1000.0;
            for (int k = 0; k < header.Count; k++)
            {
                var key = (header.BootId, header.Sequence + (uint)k);
                if (!gateway.Samples.TryAdd(key, x[k]) && gateway.Samples[key] != x[k])
                {
                    Interlocked.Increment(ref gateway.DuplicateConflicts);
                }

                gateway.Ticks.TryAdd(key, header.Tick + (k * period));
            }
        }

        public void OnRejected(FrameRejectionReason reason, long streamOffset)
        {
        }
    }
}
