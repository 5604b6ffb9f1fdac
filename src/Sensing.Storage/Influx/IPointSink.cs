using Sensing.Storage.LineProtocol;

namespace Sensing.Storage.Influx;

/// <summary>Where the pipeline hands its points. A write returns once the points are durable; that is when a wristband may be acknowledged.</summary>
public interface IPointSink
{
    /// <summary>
    /// Makes the complete lines of <paramref name="lines"/> durable (spooled). Waits while the spool is full
    /// (back-pressure: the caller should stop acknowledging its wristband, which keeps the data in its flash).
    /// The writer may be cleared and reused once this completes.
    /// </summary>
    ValueTask WriteAsync(LineProtocolWriter lines, CancellationToken cancellationToken);

    /// <summary>Waits until everything written so far is in InfluxDB (written or rejected for good).</summary>
    /// <exception cref="InfluxException">InfluxDB refuses writes until an operator acts (credentials, permissions, missing database or RP).</exception>
    ValueTask FlushAsync(CancellationToken cancellationToken);
}
