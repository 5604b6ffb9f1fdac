using System.Diagnostics.Metrics;

namespace Sensing.Storage.Diagnostics;

/// <summary>
/// The storage counters, on the meter <c>Sensing.Storage</c> (System.Diagnostics.Metrics; OpenTelemetry or
/// <c>dotnet-counters</c> read them): points added to the spool, written to InfluxDB, rejected by it, spool bytes,
/// and back-pressure waits. Nothing is ever dropped, so there is no dropped counter.
/// </summary>
public sealed class StorageMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "Sensing.Storage";

    private readonly Meter _meter;
    private readonly Counter<long> _added;
    private readonly Counter<long> _written;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _backPressureWaits;
    private long _addedTotal;
    private long _writtenTotal;
    private long _rejectedTotal;
    private long _retriesTotal;
    private long _backPressureTotal;

    private Func<long>? _spoolBytes;

    /// <summary>Creates the instruments; the spool-size gauge reads the spool the writer is given.</summary>
    public StorageMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _added = _meter.CreateCounter<long>("sensing.storage.points.added", "{point}", "Points made durable in the spool.");
        _written = _meter.CreateCounter<long>("sensing.storage.points.written", "{point}", "Points InfluxDB accepted.");
        _rejected = _meter.CreateCounter<long>("sensing.storage.points.rejected", "{point}", "Points InfluxDB refused for good (400: parse error, type conflict, beyond retention).");
        _retries = _meter.CreateCounter<long>("sensing.storage.write.retries", "{request}", "Write requests that failed and will be retried.");
        _backPressureWaits = _meter.CreateCounter<long>("sensing.storage.spool.backpressure_waits", "{append}", "Appends that waited because the spool was full.");
        _meter.CreateObservableGauge("sensing.storage.spool.bytes", () => _spoolBytes?.Invoke() ?? 0, "By", "Bytes held in the spool, not yet written.");
    }

    /// <summary>Points made durable in the spool so far.</summary>
    public long Added => Interlocked.Read(ref _addedTotal);

    /// <summary>Points InfluxDB accepted so far.</summary>
    public long Written => Interlocked.Read(ref _writtenTotal);

    /// <summary>Points InfluxDB refused for good so far.</summary>
    public long Rejected => Interlocked.Read(ref _rejectedTotal);

    /// <summary>Write requests that failed and were scheduled for retry.</summary>
    public long Retries => Interlocked.Read(ref _retriesTotal);

    /// <summary>Appends that had to wait for room in the spool.</summary>
    public long BackPressureWaits => Interlocked.Read(ref _backPressureTotal);

    internal void ObserveSpool(Func<long> spoolBytes) => _spoolBytes = spoolBytes;

    internal void OnAdded(long points) => Add(_added, ref _addedTotal, points);

    internal void OnWritten(long points) => Add(_written, ref _writtenTotal, points);

    internal void OnRejected(long points) => Add(_rejected, ref _rejectedTotal, points);

    internal void OnRetry() => Add(_retries, ref _retriesTotal, 1);

    internal void OnBackPressureWait() => Add(_backPressureWaits, ref _backPressureTotal, 1);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private static void Add(Counter<long> counter, ref long total, long value)
    {
        if (value == 0)
        {
            return;
        }

        Interlocked.Add(ref total, value);
        counter.Add(value);
    }
}
