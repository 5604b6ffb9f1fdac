using Sensing.Protocol.Link;

namespace Sensing.Simulator.Link;

/// <summary>
/// Connects a central to a peripheral in the same process. Carries exactly the characteristic bytes, enforces the
/// MTU (writes and notifications longer than MTU-3 fail), delivers notifications synchronously to the observer.
/// One connection at a time: a new connection drops the previous one, as a peripheral with one link would.
/// </summary>
public sealed class InMemoryGattConnector(IGattPeripheral peripheral, int peripheralMaxMtu = 247) : IGattConnector
{
    private readonly Lock _gate = new();
    private InMemoryGattLink? _current;

    /// <inheritdoc />
    public ValueTask<IGattLink> ConnectAsync(IGattLinkObserver observer, int requestedMtu, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observer);
        cancellationToken.ThrowIfCancellationRequested();
        InMemoryGattLink? previous;
        InMemoryGattLink link;
        lock (_gate)
        {
            previous = _current;
            link = new InMemoryGattLink(peripheral, observer, Math.Clamp(Math.Min(requestedMtu, peripheralMaxMtu), 23, 247));
            _current = link;
        }

        previous?.Disconnect();
        peripheral.Connected(link);
        return ValueTask.FromResult<IGattLink>(link);
    }
}
