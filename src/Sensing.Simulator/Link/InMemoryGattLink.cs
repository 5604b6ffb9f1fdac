using System.Collections.Concurrent;
using Sensing.Protocol.Link;

namespace Sensing.Simulator.Link;

/// <summary>Both ends of one in-memory connection (see <see cref="InMemoryGattConnector"/>).</summary>
internal sealed class InMemoryGattLink(IGattPeripheral peripheral, IGattLinkObserver observer, int mtu) : IGattLink, IGattPeripheralLink
{
    private readonly CancellationTokenSource _down = new();
    private readonly ConcurrentDictionary<Guid, bool> _subscribed = new();
    private int _mtu = mtu;
    private int _connected = 1;

    public int Mtu => Volatile.Read(ref _mtu);

    public bool IsConnected => Volatile.Read(ref _connected) == 1;

    public CancellationToken Disconnected => _down.Token;

    public ValueTask<IReadOnlyList<GattCharacteristicInfo>> DiscoverAsync(CancellationToken cancellationToken)
    {
        EnsureConnected();
        return ValueTask.FromResult(peripheral.Characteristics);
    }

    public ValueTask<byte[]> ReadAsync(Guid characteristic, CancellationToken cancellationToken)
    {
        EnsureConnected();
        var value = peripheral.Read(characteristic, out var error);
        if (value is null)
        {
            throw new GattLinkException(error, $"Read of {characteristic} failed: {error}.");
        }

        // ATT Read Response carries at most MTU-1 bytes (longer values need Read Blob, which the spec avoids).
        return ValueTask.FromResult(value.Length > Mtu - 1 ? value[..(Mtu - 1)] : value);
    }

    public ValueTask WriteAsync(Guid characteristic, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        EnsureConnected();
        if (value.Length > Mtu - 3)
        {
            throw new GattLinkException(GattError.ValueTooLong, $"Write of {value.Length} bytes exceeds MTU {Mtu} - 3.");
        }

        var error = peripheral.Write(characteristic, value.Span);
        if (error != GattError.None)
        {
            throw new GattLinkException(error, $"Write to {characteristic} failed: {error}.");
        }

        EnsureConnected(); // the write may have caused a disconnect (fault injection)
        return ValueTask.CompletedTask;
    }

    public ValueTask SubscribeAsync(Guid characteristic, CancellationToken cancellationToken)
    {
        EnsureConnected();
        var info = peripheral.Characteristics.FirstOrDefault(c => c.Uuid == characteristic)
            ?? throw new GattLinkException(GattError.UnknownCharacteristic, $"No characteristic {characteristic}.");
        if ((info.Properties & (GattProperties.Notify | GattProperties.Indicate)) == 0)
        {
            throw new GattLinkException(GattError.NotPermitted, $"{characteristic} has neither notify nor indicate.");
        }

        _subscribed[characteristic] = true;
        peripheral.Subscribed(characteristic);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisconnectAsync()
    {
        Disconnect();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => DisconnectAsync();

    public bool Notify(Guid characteristic, ReadOnlySpan<byte> value) => Push(characteristic, value);

    public bool Indicate(Guid characteristic, ReadOnlySpan<byte> value) => Push(characteristic, value);

    public void ChangeMtu(int newMtu)
    {
        if (!IsConnected)
        {
            return;
        }

        Volatile.Write(ref _mtu, Math.Clamp(newMtu, 23, 247));
        observer.OnMtuChanged(Mtu);
        peripheral.MtuChanged(this, Mtu);
    }

    public void Disconnect()
    {
        if (Interlocked.Exchange(ref _connected, 0) == 0)
        {
            return;
        }

        _down.Cancel();
        peripheral.Disconnected(this);
        observer.OnDisconnected();
    }

    private bool Push(Guid characteristic, ReadOnlySpan<byte> value)
    {
        if (!IsConnected || !_subscribed.ContainsKey(characteristic))
        {
            return false;
        }

        if (value.Length > Mtu - 3)
        {
            throw new GattLinkException(GattError.ValueTooLong, $"Value of {value.Length} bytes exceeds MTU {Mtu} - 3.");
        }

        observer.OnValue(characteristic, value);
        return true;
    }

    private void EnsureConnected()
    {
        if (!IsConnected)
        {
            throw new GattLinkException(GattError.Disconnected, "The link is down.");
        }
    }
}
