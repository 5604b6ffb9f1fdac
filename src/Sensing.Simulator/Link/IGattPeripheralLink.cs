namespace Sensing.Simulator.Link;

/// <summary>The peripheral's side of one connection: what a GATT server can push to the central.</summary>
public interface IGattPeripheralLink
{
    /// <summary>The ATT MTU of the connection.</summary>
    int Mtu { get; }

    /// <summary>Sends a notification; false when the central has not subscribed or the link is down.</summary>
    /// <exception cref="Sensing.Protocol.Link.GattLinkException">The value is longer than MTU-3 (a peripheral bug).</exception>
    bool Notify(Guid characteristic, ReadOnlySpan<byte> value);

    /// <summary>Sends an indication; false when the central has not subscribed or the link is down.</summary>
    /// <exception cref="Sensing.Protocol.Link.GattLinkException">The value is longer than MTU-3.</exception>
    bool Indicate(Guid characteristic, ReadOnlySpan<byte> value);

    /// <summary>Changes the MTU mid-connection (a fault the simulator can inject); both sides are told.</summary>
    void ChangeMtu(int mtu);

    /// <summary>Drops the connection.</summary>
    void Disconnect();
}
