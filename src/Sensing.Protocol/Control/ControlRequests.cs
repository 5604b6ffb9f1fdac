using System.Buffers.Binary;

namespace Sensing.Protocol.Control;

/// <summary>Encodes Control Point requests (README §5.2). Each returns a new array: requests are rare, not hot.</summary>
public static class ControlRequests
{
    /// <summary>The <c>last</c> value of a BACKFILL meaning "everything since first".</summary>
    public const uint Since = 0xFFFFFFFF;

    /// <summary>SET_TIME with UTC microseconds since 1970.</summary>
    public static byte[] SetTime(long unixMicros)
    {
        var b = new byte[9];
        b[0] = (byte)ControlOpcode.SetTime;
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(1), unixMicros);
        return b;
    }

    /// <summary>READ_CLOCK.</summary>
    public static byte[] ReadClock() => [(byte)ControlOpcode.ReadClock];

    /// <summary>START_LIVE.</summary>
    public static byte[] StartLive() => [(byte)ControlOpcode.StartLive];

    /// <summary>STOP_LIVE.</summary>
    public static byte[] StopLive() => [(byte)ControlOpcode.StopLive];

    /// <summary>SET_SENSOR with rate code 0..5 and range code 0..3.</summary>
    public static byte[] SetSensor(byte rateCode, byte rangeCode) => [(byte)ControlOpcode.SetSensor, rateCode, rangeCode];

    /// <summary>BACKFILL of sample indices [first, last] of a boot (last = <see cref="Since"/>: everything since first).</summary>
    public static byte[] Backfill(byte bootId, uint first, uint last)
    {
        var b = new byte[10];
        b[0] = (byte)ControlOpcode.Backfill;
        b[1] = bootId;
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(2), first);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(6), last);
        return b;
    }

    /// <summary>ABORT_BACKFILL.</summary>
    public static byte[] AbortBackfill() => [(byte)ControlOpcode.AbortBackfill];

    /// <summary>ACK: every sample of the boot with index below <paramref name="end"/> (and of earlier stored boots) is durable.</summary>
    public static byte[] Ack(byte bootId, uint end)
    {
        var b = new byte[6];
        b[0] = (byte)ControlOpcode.Ack;
        b[1] = bootId;
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(2), end);
        return b;
    }

    /// <summary>Parameter bytes after the opcode that each opcode requires; -1 for an unknown opcode.</summary>
    public static int ParameterLength(ControlOpcode opcode) => opcode switch
    {
        ControlOpcode.SetTime => 8,
        ControlOpcode.SetSensor => 2,
        ControlOpcode.Backfill => 9,
        ControlOpcode.Ack => 5,
        ControlOpcode.ReadClock or ControlOpcode.StartLive or ControlOpcode.StopLive or ControlOpcode.AbortBackfill => 0,
        _ => -1,
    };
}
