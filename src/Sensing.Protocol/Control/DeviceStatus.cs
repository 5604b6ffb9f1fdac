using System.Buffers.Binary;

namespace Sensing.Protocol.Control;

/// <summary>The 20-byte Status characteristic (README §4).</summary>
public readonly record struct DeviceStatus(
    byte ProtocolVersion,
    byte FirmwareMajor,
    byte FirmwareMinor,
    byte BatteryPercent,
    DeviceStatusFlags Flags,
    byte BootId,
    uint Tick,
    byte RateCode,
    byte RangeCode,
    byte StorageFillPercent,
    byte OldestBootId,
    uint OldestSequence,
    uint DroppedSamples)
{
    /// <summary>Length of the value.</summary>
    public const int Length = 20;

    /// <summary>Decodes a Status value; false unless it is exactly 20 bytes of protocol version 1.</summary>
    public static bool TryParse(ReadOnlySpan<byte> v, out DeviceStatus status)
    {
        status = default;
        if (v.Length != Length || v[0] != 1)
        {
            return false;
        }

        status = new DeviceStatus(
            v[0], v[1], v[2], v[3], (DeviceStatusFlags)v[4], v[5],
            BinaryPrimitives.ReadUInt32LittleEndian(v[6..]),
            (byte)(v[10] & 7), (byte)(v[10] >> 6), v[11], v[12],
            BinaryPrimitives.ReadUInt32LittleEndian(v[13..]),
            (uint)(v[17] | (v[18] << 8) | (v[19] << 16)));
        return true;
    }

    /// <summary>Encodes the value (the device side).</summary>
    /// <exception cref="ArgumentException">The destination is shorter than 20 bytes.</exception>
    public void Write(Span<byte> v)
    {
        if (v.Length < Length)
        {
            throw new ArgumentException("Status needs 20 bytes.", nameof(v));
        }

        v[0] = ProtocolVersion;
        v[1] = FirmwareMajor;
        v[2] = FirmwareMinor;
        v[3] = BatteryPercent;
        v[4] = (byte)Flags;
        v[5] = BootId;
        BinaryPrimitives.WriteUInt32LittleEndian(v[6..], Tick);
        v[10] = (byte)((RangeCode << 6) | RateCode);
        v[11] = StorageFillPercent;
        v[12] = OldestBootId;
        BinaryPrimitives.WriteUInt32LittleEndian(v[13..], OldestSequence);
        uint dropped = Math.Min(DroppedSamples, 0xFFFFFFu);
        v[17] = (byte)dropped;
        v[18] = (byte)(dropped >> 8);
        v[19] = (byte)(dropped >> 16);
    }
}
