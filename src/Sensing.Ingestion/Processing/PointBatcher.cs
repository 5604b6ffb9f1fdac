using Sensing.Core;
using Sensing.Storage.Influx;
using Sensing.Storage.LineProtocol;
using Sensing.Storage.Schema;

namespace Sensing.Ingestion.Processing;

/// <summary>
/// Gathers every band's finished minutes and status into line protocol (<c>minute</c> and <c>wear</c> in the long
/// RP, <c>epoch</c> and <c>device</c> in the short one) and hands a batch to the point sink (the durable InfluxDB
/// spool) once a second. Bounded: <see cref="WaitForRoomAsync"/> holds the bands back while a batch is waiting on a
/// full spool, so InfluxDB being away reaches the bands as back-pressure, never as dropped points.
/// </summary>
/// <remarks>
/// Per minute: <c>minute</c> (steps, active seconds, ENMO), <c>epoch</c> (the minute's dominant class and its share)
/// and the <c>wear</c> interval the minute belongs to, re-written with its duration so far (a point's identity is
/// measurement + tags + time, so the growing interval overwrites itself). Thread-safe.
/// </remarks>
public sealed class PointBatcher : IMinuteSink, IAsyncDisposable
{
    private const long MinuteMicros = 60_000_000;
    private readonly IPointSink _sink;
    private readonly int _maxPendingLines;
    private readonly TimeSpan _interval;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, WearRun> _wear = [];
    private readonly CancellationTokenSource _stop = new();
    private LineProtocolWriter _long = new(SensingSchema.Precision, SensingSchema.LongRetention);
    private LineProtocolWriter _short = new(SensingSchema.Precision, SensingSchema.ShortRetention);
    private LineProtocolWriter _longSending = new(SensingSchema.Precision, SensingSchema.LongRetention);
    private LineProtocolWriter _shortSending = new(SensingSchema.Precision, SensingSchema.ShortRetention);
    private TaskCompletionSource _sent = NewSignal();
    private Task? _loop;
    private long _points;

    /// <param name="sink">Where batches go (the InfluxDB writer and its spool).</param>
    /// <param name="maxPendingLines">Lines gathered at most before bands wait.</param>
    /// <param name="interval">How often a batch is handed on.</param>
    public PointBatcher(IPointSink sink, int maxPendingLines = 100_000, TimeSpan? interval = null)
    {
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _maxPendingLines = maxPendingLines;
        _interval = interval ?? TimeSpan.FromSeconds(1);
    }

    /// <summary>Points handed to the sink so far.</summary>
    public long Points => Interlocked.Read(ref _points);

    /// <summary>Lines gathered and not yet handed on.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _long.LineCount + _short.LineCount;
            }
        }
    }

    /// <summary>Starts handing batches on.</summary>
    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <inheritdoc />
    public void Add(BandIdentity band, MinuteFacts minute)
    {
        ArgumentNullException.ThrowIfNull(band);
        ArgumentNullException.ThrowIfNull(minute);
        lock (_gate)
        {
            var epoch = minute.Epoch;
            _long.WriteMinute(band.Series, new MinuteActivity(minute.Start, epoch.Steps, minute.ActiveSeconds, minute.EnmoMilliG));
            if (epoch.ClassifiedSeconds > 0)
            {
                _short.WriteEpoch(band.Series, new EpochActivity(minute.Start, epoch.Dominant, minute.DominantShare));
            }

            if (minute.Worn is not bool worn)
            {
                _wear.Remove(band.Id); // nothing classified: the interval ends here
                return;
            }

            if (_wear.TryGetValue(band.Id, out var run) && run.Worn == worn && run.NextMinute == epoch.StartMicros)
            {
                run = run with { Minutes = run.Minutes + 1, NextMinute = epoch.StartMicros + MinuteMicros };
            }
            else
            {
                run = new WearRun(minute.Start, worn, 1, epoch.StartMicros + MinuteMicros);
            }

            _wear[band.Id] = run;
            _long.WriteWear(band.Series, new WearInterval(run.Start, worn, TimeSpan.FromMinutes(run.Minutes)));
        }
    }

    /// <summary>Adds a <c>device</c> point of a band.</summary>
    public void AddDevice(BandIdentity band, Storage.Schema.DeviceStatus status)
    {
        ArgumentNullException.ThrowIfNull(band);
        lock (_gate)
        {
            _short.WriteDeviceStatus(band.Series, status);
        }
    }

    /// <summary>Waits while more than the bound is gathered (the spool is full and the sink is waiting).</summary>
    public async ValueTask WaitForRoomAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task sent;
            lock (_gate)
            {
                if (_long.LineCount + _short.LineCount < _maxPendingLines)
                {
                    return;
                }

                sent = _sent.Task;
            }

            await sent.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Hands on everything gathered now (at shutdown, before the writer flushes).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_loop is not null)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            _loop = null;
        }

        await SendAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await FlushAsync(CancellationToken.None).ConfigureAwait(false);
        _long.Dispose();
        _short.Dispose();
        _longSending.Dispose();
        _shortSending.Dispose();
        _stop.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(_interval);
        while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
        {
            await SendAsync(stop).ConfigureAwait(false);
        }
    }

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            (_long, _longSending) = (_longSending, _long);
            (_short, _shortSending) = (_shortSending, _short);
        }

        foreach (var batch in new[] { _longSending, _shortSending })
        {
            if (batch.LineCount > 0)
            {
                await _sink.WriteAsync(batch, cancellationToken).ConfigureAwait(false); // durable in the spool on return
                Interlocked.Add(ref _points, batch.LineCount);
                batch.Clear();
            }
        }

        TaskCompletionSource sent;
        lock (_gate)
        {
            sent = _sent;
            _sent = NewSignal();
        }

        sent.TrySetResult();
    }

    private readonly record struct WearRun(DateTimeOffset Start, bool Worn, int Minutes, long NextMinute);
}
