using Microsoft.Extensions.Logging;
using Sensing.Ingestion.Hosting;
using Sensing.Ingestion.Journal;
using Sensing.Ingestion.Processing;
using Sensing.Protocol.Control;
using Sensing.Protocol.Frames;
using Sensing.Protocol.Link;

namespace Sensing.Ingestion.Sessions;

/// <summary>
/// One band's session: connect, negotiate the MTU, subscribe, SET_TIME (a clock observation), read Status, start
/// live frames, then keep the stream whole: take frames in order (<see cref="StreamAssembler"/>), backfill gaps from
/// flash, add clock observations, acknowledge what is durable, and reconnect with backoff and jitter when the link
/// drops. Any bad input ends only this session (it is reset and reported); the band's stream state survives.
/// </summary>
/// <remarks>Two tasks per connection (frame reader, control loop) and one apply loop per band; no thread of its own.</remarks>
public sealed class WristbandSession : IDisposable
{
    private readonly IGattConnector _connector;
    private readonly SessionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IngestionMetrics _metrics;
    private readonly BandStream _stream;
    private readonly StreamRecorder _recorder;
    private readonly StreamAssembler _assembler;
    private readonly Lock _gate = new();
    private readonly ReconnectBackoff _backoff;
    private readonly Action<BandIdentity, Storage.Schema.DeviceStatus>? _statusObserved;
    private LinkState _state = LinkState.Idle;
    private int _mtu;
    private long _connections;
    private string? _lastFault;
    private long _lastNewSample;
    private long _completions;
    private bool _completedSinceSample;
    private bool _probed;
    private (byte Boot, uint Tick, long At, long HalfRoundTrip)? _lastObservation;
    private long _liveSamples;
    private long _historicalSamples;
    private long _statusLive;
    private long _statusHistorical;
    private (byte Boot, ulong EndIndex, double EndTick)? _lastTaken;

    internal WristbandSession(BandStream stream, SampleJournal journal, IGattConnector connector, SessionOptions options,
        IngestionMetrics metrics, ILogger logger, TimeProvider time, Func<CancellationToken, ValueTask> waitForRoom,
        Action<BandIdentity, Storage.Schema.DeviceStatus>? statusObserved = null)
    {
        options.Validate();
        _statusObserved = statusObserved;
        _stream = stream;
        _connector = connector;
        _options = options;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _recorder = new StreamRecorder(stream, journal, metrics, logger, waitForRoom);
        _assembler = new StreamAssembler(stream.Position, options.MaxHeldSamples, options.BackfillChunkSamples);
        _backoff = new ReconnectBackoff(options.ReconnectInitial, options.ReconnectCap, new Random(HashCode.Combine(stream.Band.Id)));
        _lastNewSample = time.GetTimestamp();
        _completedSinceSample = !stream.HasOpenPipeline; // a stream rebuilt with an open pipeline may still need completing
    }

    /// <summary>The band.</summary>
    public BandIdentity Band => _stream.Band;

    /// <summary>The band's stream (pipeline, minutes).</summary>
    public BandStream Stream => _stream;

    /// <summary>What the live table shows of this band.</summary>
    public BandSnapshot Snapshot()
    {
        lock (_gate)
        {
            var state = _state == LinkState.Live && _assembler.Backfill is not null ? LinkState.Backfilling : _state;
            return new BandSnapshot(Band.Id, state, _mtu, _stream.Samples, _stream.LiveSteps, _stream.StoredSteps, _stream.Minutes,
                _assembler.Behind, _assembler.HeldSamples, _recorder.PendingSamples, _assembler.Duplicates, _assembler.Shed,
                _stream.LostSamples, _connections, _lastFault, _stream.LatestSample, _stream.HasOpenPipeline, _completions);
        }
    }

    /// <summary>Runs the session until <paramref name="stop"/>; then applies what is durable and returns.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var applyStop = new CancellationTokenSource();
        var apply = _recorder.RunAsync(applyStop.Token);
        var attempt = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var started = _time.GetTimestamp();
                var connected = false;
                try
                {
                    await ConnectAndStreamAsync(() => connected = true, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    var kind = SessionFaults.Classify(ex, connected);
                    attempt = connected && _time.GetElapsedTime(started) >= _options.StableConnection ? 1 : attempt + 1;
                    var delay = _backoff.Delay(attempt);
                    lock (_gate)
                    {
                        _lastFault = $"{SessionFaults.Tag(kind)}: {ex.Message}";
                        _state = LinkState.Waiting;
                    }

                    _metrics.OnFault(kind);
                    Log.SessionEnded(_logger, Band.Id, kind, ex.Message, delay);
                    try
                    {
                        await Task.Delay(delay, _time, stop).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                _state = LinkState.Stopped;
            }

            await applyStop.CancelAsync().ConfigureAwait(false);
            await apply.ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _recorder.Dispose();

    /// <summary>Writes the minutes the pipeline finished (called every <see cref="SessionOptions.PushInterval"/>).</summary>
    public void PushSoon() => _recorder.PushSoon();

    /// <summary>Applies what the journal has committed (call after its last commit, at shutdown).</summary>
    public Task DrainAsync(CancellationToken cancellationToken) => _recorder.ApplyQueuedAsync(cancellationToken).AsTask();

    private async Task ConnectAndStreamAsync(Action onConnected, CancellationToken stop)
    {
        SetState(LinkState.Connecting);
        var observer = new LinkObserver(TimeProvider.System, _options.MaxBufferedBytes);
        var link = await _connector.ConnectAsync(observer, _options.RequestedMtu, stop).ConfigureAwait(false);
        onConnected();
        using var linkDown = CancellationTokenSource.CreateLinkedTokenSource(stop, link.Disconnected);
        Task? reader = null;
        try
        {
            observer.Mtu = link.Mtu;
            SetState(LinkState.Handshake);
            using var control = await HandshakeAsync(link, observer, linkDown.Token).ConfigureAwait(false);
            var parser = new FrameParser();
            reader = FramePipeReader.ReadAsync(observer.Frames, parser, new Handler(this, parser, observer), linkDown.Token);
            _ = reader.ContinueWith(_ => observer.Wake(), TaskScheduler.Default); // a fault in the reader ends the session at once
            await control.RequestAsync(ControlRequests.StartLive(), linkDown.Token).ConfigureAwait(false);
            SetState(LinkState.Live);
            await StreamAsync(link, control, observer, reader, linkDown.Token).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _assembler.Disconnected();
            }

            await link.DisconnectAsync().ConfigureAwait(false);
            if (reader is not null)
            {
                try
                {
                    await reader.ConfigureAwait(false);
                }
                catch (Exception) when (stop.IsCancellationRequested || !link.IsConnected)
                {
                    // The reader ends with the link; its own fault (if any) was the one thrown above.
                }
            }
        }
    }

    private async Task<ControlPoint> HandshakeAsync(IGattLink link, LinkObserver observer, CancellationToken ct)
    {
        var characteristics = await link.DiscoverAsync(ct).ConfigureAwait(false);
        foreach (var needed in new[] { WristbandUuids.MotionData, WristbandUuids.ControlPoint, WristbandUuids.Status })
        {
            if (!characteristics.Any(c => c.Uuid == needed))
            {
                throw new SessionFaultException(SessionFaultKind.NotAWristband, $"the peer has no characteristic {needed} of the Sensing Motion Service");
            }
        }

        // Indications first: a device cannot answer a request it cannot indicate (§2).
        await link.SubscribeAsync(WristbandUuids.ControlPoint, ct).ConfigureAwait(false);
        await link.SubscribeAsync(WristbandUuids.MotionData, ct).ConfigureAwait(false);
        await link.SubscribeAsync(WristbandUuids.Status, ct).ConfigureAwait(false);
        var control = new ControlPoint(link, observer.Control, observer.Wake, _options.RequestTimeout, _time);
        var (boot, _) = await ObserveClockAsync(control, setTime: true, ct).ConfigureAwait(false);
        lock (_gate)
        {
            if (!_assembler.Connected(boot, _recorder))
            {
                throw new SessionFaultException(SessionFaultKind.ReplayedBoot,
                    $"the band reports boot {boot}, which is not its stream's boot {_assembler.Position?.Boot} nor one of the {StreamAssembler.MaxBootsAhead} after it");
            }

            _mtu = link.Mtu;
            _connections++;
        }

        Log.Connected(_logger, Band.Id, link.Mtu, boot, _assembler.Position?.ToString() ?? "-");
        return control;
    }

    private async Task StreamAsync(IGattLink link, ControlPoint control, LinkObserver observer, Task reader, CancellationToken ct)
    {
        var lastAck = _time.GetTimestamp();
        var lastClock = lastAck;
        var lastStatus = long.MinValue;
        StreamPosition? acked = null;
        var retryTicks = (long)(_options.BackfillRetry.TotalSeconds * _time.TimestampFrequency);
        while (true)
        {
            if (reader.IsCompleted)
            {
                await reader.ConfigureAwait(false); // a fault in the frame handler ends the session with its kind
                throw new GattLinkException(GattError.Disconnected, "the link went down");
            }

            if (observer.BadIndications > _options.GarbageLimit)
            {
                throw new SessionFaultException(SessionFaultKind.Garbage, $"{observer.BadIndications} control indications that are not responses or events");
            }

            _mtu = observer.Mtu;
            while (control.TryTakeEvent(out var message))
            {
                OnEvent(message, retryTicks);
            }

            BackfillRequest? request;
            lock (_gate)
            {
                request = _assembler.NextBackfill(_time.GetTimestamp());
            }

            if (request is { } r)
            {
                var answer = await control.RequestAsync(ControlRequests.Backfill(r.Boot, r.First, r.Last), ct).ConfigureAwait(false);
                lock (_gate)
                {
                    if (!_assembler.BackfillAnswered(answer, _recorder, _time.GetTimestamp(), retryTicks))
                    {
                        throw new SessionFaultException(SessionFaultKind.ProtocolViolation,
                            $"BACKFILL boot {r.Boot} {r.First}..{r.Last} answered {answer.Result} (boot {answer.BootId}, index {answer.Index})");
                    }
                }
            }

            if (_time.GetElapsedTime(lastAck) >= _options.AckInterval && _recorder.Durable is { } durable && durable != acked)
            {
                var ack = await control.RequestAsync(ControlRequests.Ack(durable.Boot, durable.Next), ct).ConfigureAwait(false);
                if (ack.Result is not (ControlResult.Success or ControlResult.RangeNotStored))
                {
                    throw new SessionFaultException(SessionFaultKind.ProtocolViolation, $"ACK boot {durable.Boot} end {durable.Next} answered {ack.Result}");
                }

                acked = durable;
                lastAck = _time.GetTimestamp();
            }

            if (_time.GetElapsedTime(lastClock) >= _options.ClockInterval)
            {
                await ObserveClockAsync(control, setTime: false, ct).ConfigureAwait(false);
                lastClock = _time.GetTimestamp();
            }

            if (lastStatus == long.MinValue || _time.GetElapsedTime(lastStatus) >= _options.StatusInterval)
            {
                var value = await link.ReadAsync(WristbandUuids.Status, ct).ConfigureAwait(false);
                if (!DeviceStatus.TryParse(value, out var status))
                {
                    throw new SessionFaultException(SessionFaultKind.ProtocolViolation, $"a Status value of {value.Length} bytes that is not protocol version 1");
                }

                lastStatus = _time.GetTimestamp();
                ReportStatus(status);
            }

            CompleteIfIdle();

            // Sleep until the next thing is due (events, gaps found by the frame reader and a dropped link wake it sooner).
            var wait = Min(_options.AckInterval - _time.GetElapsedTime(lastAck), _options.ClockInterval - _time.GetElapsedTime(lastClock),
                _options.StatusInterval - _time.GetElapsedTime(lastStatus), _options.BackfillRetry);
            await control.WaitForEventAsync(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait, ct).ConfigureAwait(false);
        }
    }

    private void ReportStatus(in DeviceStatus status)
    {
        if (_statusObserved is null || status.BatteryPercent > 100)
        {
            return; // battery unknown (0xFF): no device point rather than a made-up level
        }

        long live, historical, behind;
        lock (_gate)
        {
            live = _liveSamples - _statusLive;
            historical = _historicalSamples - _statusHistorical;
            (_statusLive, _statusHistorical) = (_liveSamples, _historicalSamples);
            behind = _assembler.Behind;
        }

        // Link quality: the share of the samples taken since the last report that came live (the rest had to be backfilled).
        var quality = live + historical == 0 ? 1 : live / (double)(live + historical);
        _statusObserved(Band, new Storage.Schema.DeviceStatus(
            _time.GetUtcNow(), status.BatteryPercent, null, quality, behind, _historicalSamples));
    }

    private void OnEvent(in ControlMessage message, long retryTicks)
    {
        lock (_gate)
        {
            if (message.Event == ControlEventCode.BackfillDone)
            {
                _assembler.BackfillDone(message, _recorder, _time.GetTimestamp(), retryTicks);
            }

            // DATA_DROPPED needs no action: the next BACKFILL's answer starts after the dropped range, and that is recorded.
        }
    }

    private void CompleteIfIdle()
    {
        lock (_gate)
        {
            if (!_completedSinceSample && _assembler.Backfill is null && _assembler.Behind == 0 && _assembler.HeldSamples == 0
                && _assembler.Position?.Boot == _assembler.DeviceBoot && _time.GetElapsedTime(_lastNewSample) >= _options.CompleteWhenIdle)
            {
                if (!_probed)
                {
                    _assembler.RequestProbe(); // the device confirms it holds nothing beyond; new samples would reset this
                    _probed = true;
                    return;
                }

                if (!_assembler.ProbeFoundNothing)
                {
                    _probed = _assembler.Backfill is not null || _assembler.ProbePending; // ask again if the answer was not "nothing"
                    return;
                }

                _recorder.Completed();
                _completedSinceSample = true;
                _completions++;
                Log.StreamCompleted(_logger, Band.Id, _options.CompleteWhenIdle.TotalSeconds);
            }
        }
    }

    private async Task<(byte Boot, uint Tick)> ObserveClockAsync(ControlPoint control, bool setTime, CancellationToken ct)
    {
        var sent = UnixMicros(_time.GetUtcNow());
        var request = setTime ? ControlRequests.SetTime(sent) : ControlRequests.ReadClock();
        var response = await control.RequestAsync(request, ct).ConfigureAwait(false);
        var received = UnixMicros(_time.GetUtcNow());
        if (response.Result != ControlResult.Success)
        {
            throw new SessionFaultException(SessionFaultKind.ProtocolViolation, $"{(setTime ? "SET_TIME" : "READ_CLOCK")} answered {response.Result}");
        }

        var at = sent + ((received - sent) / 2); // the round trip's midpoint (§6.2)
        lock (_gate)
        {
            CheckClock(response.BootId, response.Tick, at, (received - sent) / 2);
            _lastObservation = (response.BootId, response.Tick, at, (received - sent) / 2);
            _recorder.Observation(response.BootId, response.Tick, at);
        }

        return (response.BootId, response.Tick);
    }

    /// <summary>A boot's tick must advance with UTC, give or take what a crystal drifts and what the two round trips leave open.</summary>
    private void CheckClock(byte boot, uint tick, long at, long halfRoundTrip)
    {
        if (_lastObservation is not { } last || last.Boot != boot)
        {
            return;
        }

        var elapsedMs = (at - last.At) / 1000.0;
        var ticked = (double)(int)(tick - last.Tick);
        var allowed = (Math.Abs(elapsedMs) * _options.MaxDriftPpm * 1e-6) + ((halfRoundTrip + last.HalfRoundTrip) / 1000.0) + 1000;
        if (Math.Abs(ticked - elapsedMs) > allowed)
        {
            throw new SessionFaultException(SessionFaultKind.ImpossibleClock,
                $"boot {boot} ticked {ticked:0} ms while {elapsedMs:0} ms passed");
        }
    }

    private void OnFrame(in FrameHeader header, ReadOnlySpan<short> x, ReadOnlySpan<short> y, ReadOnlySpan<short> z, long arrival, LinkObserver observer)
    {
        lock (_gate)
        {
            CheckFrameClock(header);
            FrameVerdict verdict;
            if (_recorder.PendingSamples + header.Count > _options.MaxPendingSamples)
            {
                verdict = FrameVerdict.Shed; // back-pressure: the band keeps it in flash
            }
            else
            {
                _recorder.NextFrameArrived(arrival, header.Type == FrameType.Historical);
                var before = _assembler.Position;
                verdict = _assembler.Accept(header, x, y, z, _recorder);
                if (_assembler.Position != before)
                {
                    var taken = _assembler.Position!.Value.Boot == before?.Boot ? _assembler.Position.Value.Next - before.Value.Next : header.Count;
                    if (header.Type == FrameType.Historical)
                    {
                        _historicalSamples += taken;
                    }
                    else
                    {
                        _liveSamples += taken;
                    }

                    _lastNewSample = _time.GetTimestamp();
                    _completedSinceSample = false;
                    _probed = false;
                }
            }

            _metrics.OnFrame(verdict);
            if (verdict is FrameVerdict.Held or FrameVerdict.Shed)
            {
                observer.Wake(); // a gap: the control loop asks for it now rather than at its next tick
            }

            if (verdict == FrameVerdict.ForeignBoot)
            {
                throw new SessionFaultException(SessionFaultKind.ReplayedBoot,
                    $"a frame of boot {header.BootId} (index {header.Sequence}) while the stream is at {_assembler.Position} and the band at boot {_assembler.DeviceBoot}");
            }
        }
    }

    private void CheckFrameClock(in FrameHeader header)
    {
        var period = FrameFormat.PeriodMicros(header.RateCode) / 1000.0;
        var lastTick = header.Tick + ((header.Count - 1) * period);
        if (_lastObservation is { } obs && obs.Boot == header.BootId)
        {
            // The band's clock now, from the latest observation; nothing it measured can be later than that.
            var elapsedMs = (UnixMicros(_time.GetUtcNow()) - obs.At) / 1000.0;
            var now = obs.Tick + (elapsedMs * (1 + (_options.MaxDriftPpm * 1e-6)));
            if (lastTick - now > _options.FutureTolerance.TotalMilliseconds && (int)(header.Tick - obs.Tick) > 0)
            {
                throw new SessionFaultException(SessionFaultKind.FutureFrame,
                    $"boot {header.BootId} index {header.Sequence} is stamped tick {header.Tick}, {lastTick - now:0} ms beyond the band's clock");
            }
        }

        // Within a boot, ticks follow indices: the next sample's tick is known from the last one taken.
        if (_lastTaken is { } taken && taken.Boot == header.BootId && header.Sequence == taken.EndIndex)
        {
            var expected = taken.EndTick;
            if (Math.Abs((int)(header.Tick - (uint)Math.Round(expected))) > 1 + period)
            {
                throw new SessionFaultException(SessionFaultKind.ImpossibleClock,
                    $"boot {header.BootId} index {header.Sequence} is stamped tick {header.Tick}; the samples before it put it at {expected:0}");
            }
        }

        if (_lastTaken is not { } t || t.Boot != header.BootId || header.EndSequence > t.EndIndex)
        {
            _lastTaken = (header.BootId, header.EndSequence, header.Tick + (header.Count * period));
        }
    }

    private static TimeSpan Min(params ReadOnlySpan<TimeSpan> spans)
    {
        var min = TimeSpan.MaxValue;
        foreach (var span in spans)
        {
            min = span < min ? span : min;
        }

        return min;
    }

    private static long UnixMicros(DateTimeOffset instant) => (instant - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;

    private void SetState(LinkState state)
    {
        lock (_gate)
        {
            _state = state;
        }
    }

    /// <summary>The frame parser's callbacks, as a struct so the generic parser calls them without dispatch.</summary>
    private readonly struct Handler(WristbandSession session, FrameParser parser, LinkObserver observer) : IFrameHandler
    {
        public void OnFrame(in FrameHeader header, ReadOnlySpan<short> x, ReadOnlySpan<short> y, ReadOnlySpan<short> z)
        {
            var arrival = observer.ArrivalOf(parser.Offset);
            observer.Consumed(parser.Offset);
            Check(FrameRejectionReason.None, parser.Offset);
            session.OnFrame(header, x, y, z, arrival, observer);
        }

        public void OnRejected(FrameRejectionReason reason, long streamOffset)
        {
            observer.Consumed(streamOffset);
            Check(reason, streamOffset);
        }

        private void Check(FrameRejectionReason reason, long streamOffset)
        {
            // A link's noise costs a frame now and then; many corrupt runs, or many bytes that are not frames, is a band sending garbage.
            var statistics = parser.Statistics;
            if (statistics.FramesRejected > session._options.GarbageLimit || statistics.BytesSkipped > session._options.GarbageLimit * FrameFormat.MaxFrameBytes)
            {
                throw new SessionFaultException(SessionFaultKind.Garbage,
                    $"{statistics.FramesRejected} corrupt runs ({statistics.BytesSkipped} bytes) on this connection, the latest {FrameRejection.MetricTag(reason)} at stream offset {streamOffset}");
            }
        }
    }
}
