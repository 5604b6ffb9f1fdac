using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.Sockets;
using Sensing.Protocol.Link;

namespace Sensing.Simulator.Link.Loopback;

/// <summary>The central's end of a loopback socket connection: one outstanding request at a time, as ATT allows.</summary>
internal sealed class LoopbackGattLink(TcpClient client, IGattLinkObserver observer, int mtu) : IGattLink
{
    private readonly NetworkStream _stream = client.GetStream();
    private readonly SemaphoreSlim _requestGate = new(1, 1);
    private readonly CancellationTokenSource _down = new();
    private readonly Lock _writeGate = new();
    // Every band of one firmware lists the same table: links share the last one parsed (read-only once built)
    // rather than hold 10,000 copies of it.
    private static GattTable? s_lastTable;
    private Dictionary<Guid, (ushort Handle, GattProperties Properties)>? _handles;
    private IReadOnlyList<GattCharacteristicInfo>? _discovered;
    private TaskCompletionSource<(byte Opcode, byte[] Payload)>? _pending;
    private int _mtu = mtu;
    private int _connected = 1;

    public int Mtu => Volatile.Read(ref _mtu);

    public bool IsConnected => Volatile.Read(ref _connected) == 1;

    public CancellationToken Disconnected => _down.Token;

    public void Start() => _ = ReceiveLoopAsync();

    public async ValueTask<IReadOnlyList<GattCharacteristicInfo>> DiscoverAsync(CancellationToken cancellationToken)
    {
        if (_discovered is not null)
        {
            return _discovered;
        }

        var (_, payload) = await RequestAsync(AttWire.DiscoverRequest, 0, [], AttWire.DiscoverResponse, cancellationToken).ConfigureAwait(false);
        if (payload.Length % 35 != 0)
        {
            throw Violation("discovery response length");
        }

        var table = s_lastTable is { } last && last.Payload.AsSpan().SequenceEqual(payload) ? last : ParseTable(payload);
        s_lastTable = table;
        _handles = table.Handles;
        _discovered = table.Characteristics;
        return table.Characteristics;
    }

    private static GattTable ParseTable(byte[] payload)
    {
        var list = new List<GattCharacteristicInfo>();
        var handles = new Dictionary<Guid, (ushort, GattProperties)>();
        for (int i = 0; i < payload.Length; i += 35)
        {
            var e = payload.AsSpan(i, 35);
            var info = new GattCharacteristicInfo(new Guid(e.Slice(3, 16)), new Guid(e.Slice(19, 16)), (GattProperties)e[2]);
            list.Add(info);
            handles[info.Uuid] = (BinaryPrimitives.ReadUInt16LittleEndian(e), info.Properties);
        }

        return new GattTable(payload, list.AsReadOnly(), handles);
    }

    public async ValueTask<byte[]> ReadAsync(Guid characteristic, CancellationToken cancellationToken)
    {
        var (handle, _) = await HandleOfAsync(characteristic, cancellationToken).ConfigureAwait(false);
        var (_, payload) = await RequestAsync(AttWire.ReadRequest, handle, [], AttWire.ReadResponse, cancellationToken).ConfigureAwait(false);
        return payload;
    }

    public async ValueTask WriteAsync(Guid characteristic, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        if (value.Length > Mtu - 3)
        {
            throw new GattLinkException(GattError.ValueTooLong, $"Write of {value.Length} bytes exceeds MTU {Mtu} - 3.");
        }

        var (handle, _) = await HandleOfAsync(characteristic, cancellationToken).ConfigureAwait(false);
        await RequestAsync(AttWire.WriteRequest, handle, value.ToArray(), AttWire.WriteResponse, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask SubscribeAsync(Guid characteristic, CancellationToken cancellationToken)
    {
        var (handle, properties) = await HandleOfAsync(characteristic, cancellationToken).ConfigureAwait(false);
        byte[] cccd = (properties & GattProperties.Notify) != 0 ? [1, 0] : (properties & GattProperties.Indicate) != 0 ? [2, 0] : [];
        if (cccd.Length == 0)
        {
            throw new GattLinkException(GattError.NotPermitted, $"{characteristic} has neither notify nor indicate.");
        }

        await RequestAsync(AttWire.WriteRequest, (ushort)(handle + 1), cccd, AttWire.WriteResponse, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisconnectAsync()
    {
        Down();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => DisconnectAsync();

    private async ValueTask<(ushort Handle, GattProperties Properties)> HandleOfAsync(Guid characteristic, CancellationToken ct)
    {
        if (_handles is null)
        {
            await DiscoverAsync(ct).ConfigureAwait(false);
        }

        return _handles!.TryGetValue(characteristic, out var h)
            ? h
            : throw new GattLinkException(GattError.UnknownCharacteristic, $"No characteristic {characteristic}.");
    }

    private async Task<(byte Opcode, byte[] Payload)> RequestAsync(byte op, ushort handle, byte[] payload, byte expected, CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _down.Token);
        await _requestGate.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            EnsureConnected();
            var tcs = new TaskCompletionSource<(byte, byte[])>(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _pending, tcs);
            Send(AttWire.Pdu(op, handle, payload));
            (byte Opcode, byte[] Payload) response;
            try
            {
                response = await tcs.Task.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_down.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                throw new GattLinkException(GattError.Disconnected, "The link went down during the request.");
            }

            if (response.Opcode == AttWire.Error)
            {
                var error = response.Payload.Length == 2 ? AttWire.ToError(response.Payload[1]) : GattError.ProtocolViolation;
                throw new GattLinkException(error, $"ATT error 0x{(response.Payload.Length == 2 ? response.Payload[1] : 0):x2} for request 0x{op:x2}.");
            }

            if (response.Opcode != expected)
            {
                throw Violation($"response 0x{response.Opcode:x2} to request 0x{op:x2}");
            }

            return response;
        }
        finally
        {
            Volatile.Write(ref _pending, null);
            _requestGate.Release();
        }
    }

    /// <remarks>
    /// Read as Kestrel reads a connection: a pipe over the socket that waits for data with a zero-byte read before it
    /// rents a block (from the links' shared <see cref="NotificationBlockPool"/>), and PDUs parsed where they lie. A
    /// band's link so holds no buffer while it waits for its next notification (a second, for 10,000 bands at once)
    /// and allocates nothing per notification.
    /// </remarks>
    private async Task ReceiveLoopAsync()
    {
        var reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(NotificationBlockPool.Instance, NotificationBlockPool.BlockBytes, leaveOpen: true, useZeroByteReads: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(_down.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                Dispatch(ref buffer);
                reader.AdvanceTo(buffer.Start, result.Buffer.End);
                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty)
                    {
                        throw Violation("the stream ended inside a PDU");
                    }

                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or GattLinkException)
        {
            // The link ends; the observer hears it below.
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
            Down();
        }
    }

    /// <summary>Hands every whole PDU in <paramref name="buffer"/> on and leaves it at the first incomplete one.</summary>
    private void Dispatch(ref ReadOnlySequence<byte> buffer)
    {
        while (AttWire.TryTake(ref buffer, out var op, out var handle, out var payload))
        {
            switch (op)
            {
                case AttWire.Notification or AttWire.Indication:
                    if (payload.Length > Mtu - 3)
                    {
                        throw Violation($"a {payload.Length}-byte value at MTU {Mtu}");
                    }

                    if (op == AttWire.Indication)
                    {
                        Send(AttWire.Pdu(AttWire.Confirmation, 0, []));
                    }

                    if (payload.IsSingleSegment)
                    {
                        observer.OnValue(UuidOf(handle), payload.FirstSpan);
                    }
                    else
                    {
                        OnValueAcrossBlocks(handle, payload);
                    }

                    break;
                case AttWire.MtuChanged when payload.Length == 2:
                    var mtuReader = new SequenceReader<byte>(payload);
                    mtuReader.TryReadLittleEndian(out short mtu);
                    Volatile.Write(ref _mtu, (ushort)mtu);
                    observer.OnMtuChanged(Mtu);
                    break;
                default:
                    Volatile.Read(ref _pending)?.TrySetResult((op, payload.ToArray()));
                    break;
            }
        }
    }

    /// <summary>A value split between two blocks of the pipe (rare: a few per block): copied once, on the stack.</summary>
    private void OnValueAcrossBlocks(ushort handle, in ReadOnlySequence<byte> payload)
    {
        Span<byte> value = stackalloc byte[(int)payload.Length]; // at most an MTU's value, checked above
        payload.CopyTo(value);
        observer.OnValue(UuidOf(handle), value);
    }

    private Guid UuidOf(ushort handle)
    {
        if (_handles is not null)
        {
            foreach (var (uuid, h) in _handles)
            {
                if (h.Handle == handle)
                {
                    return uuid;
                }
            }
        }

        throw Violation($"a value for unknown handle 0x{handle:x4}");
    }

    private void Send(byte[] pdu)
    {
        try
        {
            lock (_writeGate)
            {
                _stream.Write(pdu);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
            Down();
            throw new GattLinkException(GattError.Disconnected, "The link is down.");
        }
    }

    private void EnsureConnected()
    {
        if (!IsConnected)
        {
            throw new GattLinkException(GattError.Disconnected, "The link is down.");
        }
    }

    private void Down()
    {
        if (Interlocked.Exchange(ref _connected, 0) == 0)
        {
            return;
        }

        _down.Cancel();
        client.Dispose();
        observer.OnDisconnected();
    }

    private static GattLinkException Violation(string what) => new(GattError.ProtocolViolation, $"Loopback protocol violation: {what}.");

    private sealed record GattTable(byte[] Payload, IReadOnlyList<GattCharacteristicInfo> Characteristics, Dictionary<Guid, (ushort Handle, GattProperties Properties)> Handles);
}
