using Sensing.Protocol.Link;

namespace Sensing.Simulator.Link;

/// <summary>
/// A GATT server that links (in-memory, loopback socket) expose to a central. Calls may come from any thread;
/// implementations serialise them. Values pushed through <see cref="IGattPeripheralLink"/> reach the central's
/// observer synchronously on the in-memory link, so implementations must not hold locks the observer could need.
/// </summary>
public interface IGattPeripheral
{
    /// <summary>The characteristics the peripheral offers (their order defines handles on the socket link).</summary>
    IReadOnlyList<GattCharacteristicInfo> Characteristics { get; }

    /// <summary>A central connected (a previous connection, if any, was dropped first).</summary>
    void Connected(IGattPeripheralLink link);

    /// <summary>The connection dropped.</summary>
    void Disconnected(IGattPeripheralLink link);

    /// <summary>The MTU changed.</summary>
    void MtuChanged(IGattPeripheralLink link, int mtu);

    /// <summary>Reads a value.</summary>
    /// <returns>The value, or null with <paramref name="error"/> set.</returns>
    byte[]? Read(Guid characteristic, out GattError error);

    /// <summary>Handles a write with response.</summary>
    GattError Write(Guid characteristic, ReadOnlySpan<byte> value);

    /// <summary>The central enabled notifications or indications.</summary>
    void Subscribed(Guid characteristic);
}
