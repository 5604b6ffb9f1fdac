using System.Buffers.Binary;
using Sensing.Protocol.Frames;
using Sensing.Protocol.Link;
using Sensing.Simulator.Link;

namespace Sensing.Ingestion.Tests.EndToEnd;

/// <summary>What a hostile or broken band does to what it sends.</summary>
public enum Hostility
{
    /// <summary>Every other Motion Data notification is random bytes.</summary>
    Garbage,

    /// <summary>READ_CLOCK answers ten minutes behind the band's real tick.</summary>
    ImpossibleClock,

    /// <summary>Frames carry a boot id three resets old (CRC recomputed, so only the gateway's logic can tell).</summary>
    ReplayedBootId,

    /// <summary>Frames are stamped an hour ahead of the band's clock (CRC recomputed).</summary>
    FutureFrames,
}

/// <summary>
/// A simulated band that misbehaves while <see cref="Active"/>: its bytes are rewritten between the device and the
/// link. Its flash stays honest, so once it behaves again the gateway can backfill what it refused.
/// </summary>
internal sealed class HostileBand(IGattPeripheral inner, Hostility hostility) : IGattPeripheral
{
    private readonly Random _random = new(42);
    private int _notifications;

    public volatile bool Active;

    public IReadOnlyList<GattCharacteristicInfo> Characteristics => inner.Characteristics;

    public void Connected(IGattPeripheralLink link) => inner.Connected(new Tampering(this, link));

    public void Disconnected(IGattPeripheralLink link) => inner.Disconnected(link is Tampering t ? t.Inner : link);

    public void MtuChanged(IGattPeripheralLink link, int mtu) => inner.MtuChanged(link is Tampering t ? t.Inner : link, mtu);

    public byte[]? Read(Guid characteristic, out GattError error) => inner.Read(characteristic, out error);

    public GattError Write(Guid characteristic, ReadOnlySpan<byte> value) => inner.Write(characteristic, value);

    public void Subscribed(Guid characteristic) => inner.Subscribed(characteristic);

    private byte[] Frame(ReadOnlySpan<byte> value)
    {
        var bytes = value.ToArray();
        switch (hostility)
        {
            case Hostility.Garbage when Interlocked.Increment(ref _notifications) % 2 == 0:
                _random.NextBytes(bytes);
                return bytes;
            case Hostility.ReplayedBootId:
                bytes[2] = (byte)(bytes[2] - 3);
                break;
            case Hostility.FutureFrames:
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(7), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(7)) + 3_600_000);
                break;
            default:
                return bytes;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(bytes.Length - 2), Crc16Ccitt.Compute(bytes.AsSpan(0, bytes.Length - 2)));
        return bytes;
    }

    private byte[] Indication(ReadOnlySpan<byte> value)
    {
        var bytes = value.ToArray();
        if (hostility == Hostility.ImpossibleClock && bytes.Length == 16 && bytes[0] == 0x80 && bytes[1] == 0x02 && bytes[2] == 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)) - 600_000);
        }

        return bytes;
    }

    private sealed class Tampering(HostileBand band, IGattPeripheralLink inner) : IGattPeripheralLink
    {
        public IGattPeripheralLink Inner => inner;

        public int Mtu => inner.Mtu;

        public bool Notify(Guid characteristic, ReadOnlySpan<byte> value)
            => inner.Notify(characteristic, band.Active && characteristic == WristbandUuids.MotionData ? band.Frame(value) : value);

        public bool Indicate(Guid characteristic, ReadOnlySpan<byte> value)
            => inner.Indicate(characteristic, band.Active ? band.Indication(value) : value);

        public void ChangeMtu(int mtu) => inner.ChangeMtu(mtu);

        public void Disconnect() => inner.Disconnect();
    }
}
