namespace Sensing.Protocol.Link;

/// <summary>
/// Receives what a peripheral pushes over a link. Called on the transport's thread, one call at a time per link;
/// implementations copy what they keep (the span is valid only during the call) and return quickly.
/// </summary>
public interface IGattLinkObserver
{
    /// <summary>A notification or indication value of <paramref name="characteristic"/>.</summary>
    void OnValue(Guid characteristic, ReadOnlySpan<byte> value);

    /// <summary>The ATT MTU changed.</summary>
    void OnMtuChanged(int mtu);

    /// <summary>The link went down; no more calls follow.</summary>
    void OnDisconnected();
}
