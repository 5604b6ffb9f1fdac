namespace Sensing.Protocol.Link;

/// <summary>Opens links to one peripheral.</summary>
public interface IGattConnector
{
    /// <summary>Connects and exchanges the MTU (the result is min of both sides' MTU, at least 23).</summary>
    /// <param name="observer">Receives notifications, indications, MTU changes and the disconnect.</param>
    /// <param name="requestedMtu">The MTU this side supports (23..247).</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <exception cref="GattLinkException">The peripheral is not reachable.</exception>
    ValueTask<IGattLink> ConnectAsync(IGattLinkObserver observer, int requestedMtu, CancellationToken cancellationToken);
}
