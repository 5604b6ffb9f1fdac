using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using Sensing.Protocol.Link;

namespace Sensing.Simulator.Link.Loopback;

/// <summary>
/// The loopback socket's framing: ATT PDUs (real ATT opcodes where ATT has one) in a length-prefixed envelope,
/// <c>[length u16 LE][opcode u8][handle u16 LE][payload]</c>, length counting opcode, handle and payload.
/// Discovery and the MTU-change push are simplified single PDUs (0xF0..0xF2) instead of ATT's multi-round-trip
/// discovery. Characteristic values travel byte for byte; a CCCD is the value handle + 1.
/// </summary>
internal static class AttWire
{
    public const byte Error = 0x01;
    public const byte MtuRequest = 0x02;
    public const byte MtuResponse = 0x03;
    public const byte ReadRequest = 0x0A;
    public const byte ReadResponse = 0x0B;
    public const byte WriteRequest = 0x12;
    public const byte WriteResponse = 0x13;
    public const byte Notification = 0x1B;
    public const byte Indication = 0x1D;
    public const byte Confirmation = 0x1E;
    public const byte DiscoverRequest = 0xF0;
    public const byte DiscoverResponse = 0xF1;
    public const byte MtuChanged = 0xF2;

    public const byte AttInvalidHandle = 0x01;
    public const byte AttReadNotPermitted = 0x02;
    public const byte AttWriteNotPermitted = 0x03;
    public const byte AttInvalidLength = 0x0D;

    /// <summary>Bigger than any PDU the link carries (values are at most 244 bytes; discovery lists stay small).</summary>
    public const int MaxPdu = 4096;

    public static ushort ValueHandle(int index) => (ushort)(0x10 + (2 * index));

    public static byte[] Pdu(byte opcode, ushort handle, ReadOnlySpan<byte> payload)
    {
        var b = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)(3 + payload.Length));
        b[2] = opcode;
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(3), handle);
        payload.CopyTo(b.AsSpan(5));
        return b;
    }

    /// <summary>Reads one PDU; null at end of stream.</summary>
    public static async Task<(byte Opcode, ushort Handle, byte[] Payload)?> ReadAsync(NetworkStream stream, CancellationToken ct)
    {
        var head = new byte[5];
        if (!await ReadExactlyOrEndAsync(stream, head.AsMemory(0, 2), ct).ConfigureAwait(false))
        {
            return null;
        }

        int length = CheckedLength(BinaryPrimitives.ReadUInt16LittleEndian(head));

        await stream.ReadExactlyAsync(head.AsMemory(2, 3), ct).ConfigureAwait(false);
        var payload = new byte[length - 3];
        await stream.ReadExactlyAsync(payload, ct).ConfigureAwait(false);
        return (head[2], BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(3)), payload);
    }

    /// <summary>
    /// Takes one PDU off the front of <paramref name="buffer"/> without copying it: false when the PDU is not all
    /// there yet (read more and call again); a length no PDU can have is bad data, not a reason to wait.
    /// </summary>
    /// <exception cref="GattLinkException">The length prefix is outside 3..<see cref="MaxPdu"/>.</exception>
    public static bool TryTake(ref ReadOnlySequence<byte> buffer, out byte opcode, out ushort handle, out ReadOnlySequence<byte> payload)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadLittleEndian(out short prefix))
        {
            (opcode, handle, payload) = (0, 0, default);
            return false;
        }

        var length = CheckedLength((ushort)prefix);

        if (reader.Remaining < length)
        {
            (opcode, handle, payload) = (0, 0, default);
            return false;
        }

        reader.TryRead(out opcode);
        reader.TryReadLittleEndian(out short h);
        handle = (ushort)h;
        payload = reader.UnreadSequence.Slice(0, length - 3);
        buffer = buffer.Slice(reader.Consumed + payload.Length);
        return true;
    }

    /// <summary>The length prefix, refused when no PDU can have it (both readers: the stream's and the pipe's).</summary>
    private static int CheckedLength(ushort length)
        => length is >= 3 and <= MaxPdu
            ? length
            : throw new GattLinkException(GattError.ProtocolViolation, $"Loopback PDU length {length} is outside 3..{MaxPdu}.");

    public static GattError ToError(byte attError) => attError switch
    {
        AttInvalidHandle => GattError.UnknownCharacteristic,
        AttReadNotPermitted or AttWriteNotPermitted => GattError.NotPermitted,
        AttInvalidLength => GattError.ValueTooLong,
        _ => GattError.ProtocolViolation,
    };

    public static byte ToAtt(GattError error) => error switch
    {
        GattError.UnknownCharacteristic => AttInvalidHandle,
        GattError.NotPermitted => AttWriteNotPermitted,
        GattError.ValueTooLong => AttInvalidLength,
        _ => 0x0E, // Unlikely Error
    };

    private static async Task<bool> ReadExactlyOrEndAsync(NetworkStream stream, Memory<byte> buffer, CancellationToken ct)
    {
        int got = 0;
        while (got < buffer.Length)
        {
            int n = await stream.ReadAsync(buffer[got..], ct).ConfigureAwait(false);
            if (n == 0)
            {
                if (got == 0)
                {
                    return false;
                }

                throw new GattLinkException(GattError.ProtocolViolation, "Loopback stream ended inside a PDU.");
            }

            got += n;
        }

        return true;
    }
}
