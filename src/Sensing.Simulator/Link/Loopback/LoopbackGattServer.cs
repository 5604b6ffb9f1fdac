using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Sensing.Protocol.Link;

namespace Sensing.Simulator.Link.Loopback;

/// <summary>
/// Serves an <see cref="IGattPeripheral"/> on a loopback TCP socket (one central at a time), so a gateway in another
/// process can talk to a simulated wristband with exactly the spec's bytes and the MTU enforced.
/// </summary>
public sealed class LoopbackGattServer : IAsyncDisposable
{
    private readonly IGattPeripheral _peripheral;
    private readonly int _maxMtu;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private Task? _accepting;

    /// <summary>Creates the server; call <see cref="Start"/>.</summary>
    public LoopbackGattServer(IGattPeripheral peripheral, int maxMtu = 247, int port = 0)
    {
        _peripheral = peripheral ?? throw new ArgumentNullException(nameof(peripheral));
        _maxMtu = Math.Clamp(maxMtu, 23, 247);
        _listener = new TcpListener(IPAddress.Loopback, port);
    }

    /// <summary>The endpoint centrals connect to (valid after <see cref="Start"/>).</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Starts listening.</summary>
    public void Start()
    {
        _listener.Start();
        _accepting = AcceptLoopAsync(_stop.Token);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        if (_accepting is not null)
        {
            try
            {
                await _accepting.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync(CancellationToken ct)
    {
        Connection? current = null;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(ct).ConfigureAwait(false);
                current?.Disconnect();
                current = new Connection(this, client);
                _ = current.RunAsync(ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
            // Listener stopped.
        }
        finally
        {
            current?.Disconnect();
        }
    }

    private sealed class Connection(LoopbackGattServer server, TcpClient client) : IGattPeripheralLink
    {
        private readonly NetworkStream _stream = client.GetStream();
        private readonly Lock _writeGate = new();
        private readonly HashSet<Guid> _subscribed = [];
        private int _mtu = 23;
        private int _open = 1;

        public int Mtu => Volatile.Read(ref _mtu);

        private IReadOnlyList<GattCharacteristicInfo> Characteristics => server._peripheral.Characteristics;

        public bool Notify(Guid characteristic, ReadOnlySpan<byte> value) => Push(AttWire.Notification, characteristic, value);

        public bool Indicate(Guid characteristic, ReadOnlySpan<byte> value) => Push(AttWire.Indication, characteristic, value);

        public void ChangeMtu(int mtu)
        {
            Volatile.Write(ref _mtu, Math.Clamp(mtu, 23, 247));
            Span<byte> p = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(p, (ushort)Mtu);
            Send(AttWire.Pdu(AttWire.MtuChanged, 0, p));
            server._peripheral.MtuChanged(this, Mtu);
        }

        public void Disconnect()
        {
            if (Interlocked.Exchange(ref _open, 0) == 0)
            {
                return;
            }

            client.Dispose();
            server._peripheral.Disconnected(this);
        }

        public async Task RunAsync(CancellationToken ct)
        {
            try
            {
                bool connected = false;
                while (true)
                {
                    var pdu = await AttWire.ReadAsync(_stream, ct).ConfigureAwait(false);
                    if (pdu is null)
                    {
                        break;
                    }

                    var (op, handle, payload) = pdu.Value;
                    if (!connected)
                    {
                        if (op != AttWire.MtuRequest || payload.Length != 2)
                        {
                            break;
                        }

                        Volatile.Write(ref _mtu, Math.Clamp(Math.Min(BinaryPrimitives.ReadUInt16LittleEndian(payload), server._maxMtu), 23, 247));
                        var p = new byte[2];
                        BinaryPrimitives.WriteUInt16LittleEndian(p, (ushort)Mtu);
                        Send(AttWire.Pdu(AttWire.MtuResponse, 0, p));
                        connected = true;
                        server._peripheral.Connected(this);
                        continue;
                    }

                    Handle(op, handle, payload);
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or GattLinkException)
            {
                // The central went away or broke the framing: the connection ends.
            }
            finally
            {
                Disconnect();
            }
        }

        private void Handle(byte op, ushort handle, byte[] payload)
        {
            switch (op)
            {
                case AttWire.DiscoverRequest:
                    var list = new byte[Characteristics.Count * 35];
                    for (int i = 0; i < Characteristics.Count; i++)
                    {
                        var c = Characteristics[i];
                        var e = list.AsSpan(i * 35);
                        BinaryPrimitives.WriteUInt16LittleEndian(e, AttWire.ValueHandle(i));
                        e[2] = (byte)c.Properties;
                        c.Service.TryWriteBytes(e[3..]);
                        c.Uuid.TryWriteBytes(e[19..]);
                    }

                    Send(AttWire.Pdu(AttWire.DiscoverResponse, 0, list));
                    return;
                case AttWire.ReadRequest:
                    if (!TryFind(handle, out var readInfo, out bool readCccd) || readCccd)
                    {
                        SendError(op, handle, AttWire.AttInvalidHandle);
                        return;
                    }

                    var value = server._peripheral.Read(readInfo.Uuid, out var readError);
                    if (value is null)
                    {
                        SendError(op, handle, readError == GattError.NotPermitted ? AttWire.AttReadNotPermitted : AttWire.ToAtt(readError));
                        return;
                    }

                    Send(AttWire.Pdu(AttWire.ReadResponse, handle, value.AsSpan(0, Math.Min(value.Length, Mtu - 1))));
                    return;
                case AttWire.WriteRequest:
                    if (!TryFind(handle, out var info, out bool cccd))
                    {
                        SendError(op, handle, AttWire.AttInvalidHandle);
                        return;
                    }

                    if (payload.Length > Mtu - 3)
                    {
                        SendError(op, handle, AttWire.AttInvalidLength);
                        return;
                    }

                    if (cccd)
                    {
                        lock (_subscribed)
                        {
                            _subscribed.Add(info.Uuid);
                        }

                        Send(AttWire.Pdu(AttWire.WriteResponse, handle, []));
                        server._peripheral.Subscribed(info.Uuid);
                        return;
                    }

                    // Respond before the peripheral's indications, as an ATT server acknowledges the write first.
                    var error = (info.Properties & GattProperties.Write) == 0 ? GattError.NotPermitted : GattError.None;
                    if (error != GattError.None)
                    {
                        SendError(op, handle, AttWire.ToAtt(error));
                        return;
                    }

                    Send(AttWire.Pdu(AttWire.WriteResponse, handle, []));
                    server._peripheral.Write(info.Uuid, payload);
                    return;
                case AttWire.Confirmation:
                    return;
                default:
                    SendError(op, handle, 0x06); // Request Not Supported
                    return;
            }
        }

        private bool TryFind(ushort handle, out GattCharacteristicInfo info, out bool cccd)
        {
            int index = (handle - 0x10) / 2;
            cccd = ((handle - 0x10) & 1) == 1;
            info = null!;
            if (handle < 0x10 || index >= Characteristics.Count)
            {
                return false;
            }

            info = Characteristics[index];
            return true;
        }

        private bool Push(byte op, Guid characteristic, ReadOnlySpan<byte> value)
        {
            if (Volatile.Read(ref _open) == 0)
            {
                return false;
            }

            lock (_subscribed)
            {
                if (!_subscribed.Contains(characteristic))
                {
                    return false;
                }
            }

            if (value.Length > Mtu - 3)
            {
                throw new GattLinkException(GattError.ValueTooLong, $"Value of {value.Length} bytes exceeds MTU {Mtu} - 3.");
            }

            int index = -1;
            for (int i = 0; i < Characteristics.Count; i++)
            {
                if (Characteristics[i].Uuid == characteristic)
                {
                    index = i;
                }
            }

            return Send(AttWire.Pdu(op, AttWire.ValueHandle(index), value));
        }

        private void SendError(byte op, ushort handle, byte attError) => Send(AttWire.Pdu(AttWire.Error, handle, [op, attError]));

        private bool Send(byte[] pdu)
        {
            try
            {
                lock (_writeGate)
                {
                    _stream.Write(pdu);
                }

                return true;
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
            {
                return false;
            }
        }
    }
}
