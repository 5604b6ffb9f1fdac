using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Sensing.Protocol.Link;

namespace Sensing.Simulator.Link.Loopback;

/// <summary>Connects to a <see cref="LoopbackGattServer"/> (the central's side of the loopback socket link).</summary>
public sealed class LoopbackGattConnector(IPEndPoint endPoint) : IGattConnector
{
    /// <inheritdoc />
    public async ValueTask<IGattLink> ConnectAsync(IGattLinkObserver observer, int requestedMtu, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            var stream = client.GetStream();
            var p = new byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(p, (ushort)Math.Clamp(requestedMtu, 23, 247));
            await stream.WriteAsync(AttWire.Pdu(AttWire.MtuRequest, 0, p), cancellationToken).ConfigureAwait(false);
            var response = await AttWire.ReadAsync(stream, cancellationToken).ConfigureAwait(false);
            if (response is not { Opcode: AttWire.MtuResponse } r || r.Payload.Length != 2)
            {
                throw new GattLinkException(GattError.ProtocolViolation, $"No MTU exchange response from {endPoint}.");
            }

            var link = new LoopbackGattLink(client, observer, BinaryPrimitives.ReadUInt16LittleEndian(r.Payload));
            link.Start();
            return link;
        }
        catch (SocketException ex)
        {
            client.Dispose();
            throw new GattLinkException(GattError.Disconnected, $"Cannot connect to {endPoint}: {ex.SocketErrorCode}.");
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}
