using System.Diagnostics.Metrics;
using Sensing.Ingestion.Sessions;

namespace Sensing.Ingestion.Hosting;

/// <summary>
/// The worker's instruments on the meter <c>Sensing.Ingestion</c> (System.Diagnostics.Metrics, exported through
/// OpenTelemetry at <c>/metrics</c>, readable by <c>dotnet-counters</c>). Totals are also kept as plain numbers
/// for the live table and the benchmark.
/// </summary>
public sealed class IngestionMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "Sensing.Ingestion";

    private readonly Meter _meter;
    private readonly Counter<long> _samples;
    private readonly Counter<long> _frames;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _shed;
    private readonly Counter<long> _backfilled;
    private readonly Counter<long> _lost;
    private readonly Counter<long> _faults;
    private readonly Counter<long> _minutes;
    private readonly Histogram<double> _durableLatency;
    private readonly long[] _latencyBuckets = new long[LatencyBucketCount];
    private readonly Lock _windowGate = new();
    private long[] _window = new long[LatencyBucketCount];
    private long[] _lastWindow = new long[LatencyBucketCount];
    private long _windowStart = System.Diagnostics.Stopwatch.GetTimestamp();
    private long _samplesTotal;
    private long _faultsTotal;
    private long _latencyCount;

    /// <summary>Latency histogram buckets of 1 ms up to 10 s (for percentiles without keeping every value).</summary>
    private const int LatencyBucketCount = 10_001;

    public IngestionMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _samples = _meter.CreateCounter<long>("sensing.ingestion.samples", "{sample}", "Samples taken into bands' in-order streams (durable).");
        _frames = _meter.CreateCounter<long>("sensing.ingestion.frames", "{frame}", "Frames decoded from notifications.");
        _duplicates = _meter.CreateCounter<long>("sensing.ingestion.duplicates", "{frame}", "Frames whose samples were already taken (dedup by boot id + index).");
        _shed = _meter.CreateCounter<long>("sensing.ingestion.shed", "{frame}", "Frames not taken for lack of room (they stay in the band's flash and are backfilled).");
        _backfilled = _meter.CreateCounter<long>("sensing.ingestion.backfilled", "{sample}", "Samples taken from historical (backfill) frames.");
        _lost = _meter.CreateCounter<long>("sensing.ingestion.lost", "{sample}", "Samples the band no longer stored when asked for.");
        _faults = _meter.CreateCounter<long>("sensing.ingestion.session.faults", "{session}", "Sessions ended, by kind.");
        _minutes = _meter.CreateCounter<long>("sensing.ingestion.minutes", "{minute}", "Finished minutes handed to storage.");
        _durableLatency = _meter.CreateHistogram<double>("sensing.ingestion.durable.latency", "ms", "From a notification's arrival to its samples being durable in the journal.");
    }

    /// <summary>The meter, for observable gauges of the host.</summary>
    public Meter Meter => _meter;

    /// <summary>Samples taken so far.</summary>
    public long Samples => Interlocked.Read(ref _samplesTotal);

    /// <summary>Sessions ended by a fault so far.</summary>
    public long Faults => Interlocked.Read(ref _faultsTotal);

    /// <summary>Notifications whose durable latency was recorded.</summary>
    public long LatencyCount => Interlocked.Read(ref _latencyCount);

    internal void OnSamples(long samples, bool historical)
    {
        Interlocked.Add(ref _samplesTotal, samples);
        _samples.Add(samples);
        if (historical)
        {
            _backfilled.Add(samples);
        }
    }

    internal void OnFrame(FrameVerdict verdict)
    {
        _frames.Add(1);
        if (verdict == FrameVerdict.Duplicate)
        {
            _duplicates.Add(1);
        }
        else if (verdict == FrameVerdict.Shed)
        {
            _shed.Add(1);
        }
    }

    internal void OnLost(long samples) => _lost.Add(samples);

    internal void OnMinute() => _minutes.Add(1);

    internal void OnFault(SessionFaultKind kind)
    {
        Interlocked.Increment(ref _faultsTotal);
        _faults.Add(1, new KeyValuePair<string, object?>("kind", SessionFaults.Tag(kind)));
    }

    internal void OnDurable(TimeSpan latency)
    {
        var ms = latency.TotalMilliseconds;
        _durableLatency.Record(ms);
        var bucket = (int)Math.Clamp(ms, 0, LatencyBucketCount - 1);
        Interlocked.Increment(ref _latencyBuckets[bucket]);
        Interlocked.Increment(ref _latencyCount);
        lock (_windowGate)
        {
            Rotate();
            _window[bucket]++;
        }
    }

    /// <summary>Like <see cref="LatencyQuantileMs"/>, over the last one to two minutes only (the steady state, not the start-up).</summary>
    public double RecentLatencyQuantileMs(double quantile)
    {
        var merged = new long[LatencyBucketCount];
        lock (_windowGate)
        {
            Rotate();
            for (var i = 0; i < merged.Length; i++)
            {
                merged[i] = _window[i] + _lastWindow[i];
            }
        }

        return Quantile(merged, merged.Sum(), quantile);
    }

    private void Rotate()
    {
        if (System.Diagnostics.Stopwatch.GetElapsedTime(_windowStart) < TimeSpan.FromMinutes(1))
        {
            return;
        }

        (_lastWindow, _window) = (_window, _lastWindow);
        Array.Clear(_window);
        _windowStart = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    private static double Quantile(long[] buckets, long total, double quantile)
    {
        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            seen += buckets[i];
            if (seen >= rank)
            {
                return i + 1;
            }
        }

        return LatencyBucketCount;
    }

    /// <summary>The latency (ms, 1 ms resolution) below which <paramref name="quantile"/> of the recorded notifications lie.</summary>
    public double LatencyQuantileMs(double quantile) => Quantile(_latencyBuckets, LatencyCount, quantile);

    /// <summary>Forgets the recorded latencies (a benchmark's warm-up).</summary>
    public void ResetLatency()
    {
        Array.Clear(_latencyBuckets);
        Interlocked.Exchange(ref _latencyCount, 0);
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
