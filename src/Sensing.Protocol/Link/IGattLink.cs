namespace Sensing.Protocol.Link;

/// <summary>
/// A connection to one peripheral at GATT level: the surface a BLE transport (BlueZ later), the in-memory link and
/// the loopback socket link all provide. Values are exactly the characteristic bytes the spec defines; the MTU is
/// enforced (a write longer than MTU-3 fails with <see cref="GattError.ValueTooLong"/>).
/// </summary>
/// <remarks>Operations are issued one at a time (ATT allows one outstanding request); callers serialise them.</remarks>
public interface IGattLink : IAsyncDisposable
{
    /// <summary>The current ATT MTU (23..247).</summary>
    int Mtu { get; }

    /// <summary>False once the link dropped or was closed.</summary>
    bool IsConnected { get; }

    /// <summary>Cancelled when the link goes down, for linking into operation tokens.</summary>
    CancellationToken Disconnected { get; }

    /// <summary>Lists the peer's characteristics.</summary>
    /// <exception cref="GattLinkException">The link is down.</exception>
    ValueTask<IReadOnlyList<GattCharacteristicInfo>> DiscoverAsync(CancellationToken cancellationToken);

    /// <summary>Reads a characteristic value.</summary>
    /// <exception cref="GattLinkException">Link down, unknown characteristic, not readable.</exception>
    ValueTask<byte[]> ReadAsync(Guid characteristic, CancellationToken cancellationToken);

    /// <summary>Writes with response: completes when the peer acknowledged the write.</summary>
    /// <exception cref="GattLinkException">Link down, unknown characteristic, not writable, value longer than MTU-3.</exception>
    ValueTask WriteAsync(Guid characteristic, ReadOnlyMemory<byte> value, CancellationToken cancellationToken);

    /// <summary>Enables notifications or indications (whichever the characteristic has); values go to the observer.</summary>
    /// <exception cref="GattLinkException">Link down, unknown characteristic, neither notify nor indicate.</exception>
    ValueTask SubscribeAsync(Guid characteristic, CancellationToken cancellationToken);

    /// <summary>Closes the link (the observer gets <see cref="IGattLinkObserver.OnDisconnected"/>).</summary>
    ValueTask DisconnectAsync();
}
