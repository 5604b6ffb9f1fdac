using Sensing.Protocol.Link;
using Sensing.Simulator.Link;

namespace Sensing.Ingestion.Simulation;

/// <summary>
/// A simulated band's radio range: while <see cref="OutOfRange"/>, a central that connects is dropped at once and the
/// current connection goes down, as when the wearer walks away from the gateway. The band keeps recording into flash.
/// </summary>
/// <remarks>Before each read or write the band's clock is brought up to the moment (<paramref name="catchUp"/>): a real
/// band's clock runs continuously, the simulator's only when advanced, and SET_TIME must see the tick of now.</remarks>
public sealed class RadioRange(IGattPeripheral band, Action? catchUp = null) : IGattPeripheral
{
    private volatile bool _outOfRange;
    private IGattPeripheralLink? _link;

    /// <summary>True while the band is out of the gateway's reach.</summary>
    public bool OutOfRange
    {
        get => _outOfRange;
        set
        {
            _outOfRange = value;
            if (value)
            {
                Volatile.Read(ref _link)?.Disconnect();
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<GattCharacteristicInfo> Characteristics => band.Characteristics;

    /// <inheritdoc />
    public void Connected(IGattPeripheralLink link)
    {
        if (_outOfRange)
        {
            link.Disconnect();
            return;
        }

        Volatile.Write(ref _link, link);
        band.Connected(link);
    }

    /// <inheritdoc />
    public void Disconnected(IGattPeripheralLink link)
    {
        Interlocked.CompareExchange(ref _link, null, link);
        band.Disconnected(link);
    }

    /// <inheritdoc />
    public void MtuChanged(IGattPeripheralLink link, int mtu) => band.MtuChanged(link, mtu);

    /// <inheritdoc />
    public byte[]? Read(Guid characteristic, out GattError error)
    {
        catchUp?.Invoke();
        return band.Read(characteristic, out error);
    }

    /// <inheritdoc />
    public GattError Write(Guid characteristic, ReadOnlySpan<byte> value)
    {
        catchUp?.Invoke();
        return band.Write(characteristic, value);
    }

    /// <inheritdoc />
    public void Subscribed(Guid characteristic) => band.Subscribed(characteristic);
}
