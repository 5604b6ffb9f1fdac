using System.Buffers.Binary;

namespace Sensing.Protocol.Control;

/// <summary>
/// One Control Point indication, decoded (README §5): a response to a request or an event. Fields that the message
/// does not carry are zero. Parsing is strict: lengths must match the opcode/event exactly.
/// </summary>
public readonly record struct ControlMessage
{
    /// <summary>First byte of a response.</summary>
    public const byte ResponseMarker = 0x80;

    /// <summary>First byte of an event.</summary>
    public const byte EventMarker = 0x81;

    /// <summary>True for a response, false for an event.</summary>
    public bool IsResponse { get; init; }

    /// <summary>The request this responds to.</summary>
    public ControlOpcode Opcode { get; init; }

    /// <summary>The response's result.</summary>
    public ControlResult Result { get; init; }

    /// <summary>The event code.</summary>
    public ControlEventCode Event { get; init; }

    /// <summary>Boot id: SET_TIME/READ_CLOCK device boot; BACKFILL first boot; RANGE_NOT_STORED oldest boot; events' boot.</summary>
    public byte BootId { get; init; }

    /// <summary>Device tick (SET_TIME, READ_CLOCK).</summary>
    public uint Tick { get; init; }

    /// <summary>Device wall clock, UTC microseconds; 0 = not set this boot (READ_CLOCK).</summary>
    public ulong WallMicros { get; init; }

    /// <summary>A sample index: BACKFILL first sent; RANGE_NOT_STORED oldest stored; BACKFILL_DONE end; DATA_DROPPED first.</summary>
    public uint Index { get; init; }

    /// <summary>A sample count: BACKFILL to send; ACK freed; BACKFILL_DONE sent; DATA_DROPPED discarded.</summary>
    public uint Samples { get; init; }

    /// <summary>BACKFILL_DONE status: 0 complete, 1 aborted.</summary>
    public byte Status { get; init; }

    /// <summary>RANGE_NOT_STORED with an empty storage (oldest position 0xFF/0xFFFFFFFF).</summary>
    public bool StorageEmpty => Result == ControlResult.RangeNotStored && BootId == 0xFF && Index == uint.MaxValue;

    /// <summary>Decodes an indication value.</summary>
    /// <returns>False when the value is not a well-formed response or event.</returns>
    public static bool TryParse(ReadOnlySpan<byte> v, out ControlMessage message)
    {
        message = default;
        if (v.Length < 2)
        {
            return false;
        }

        if (v[0] == EventMarker)
        {
            return TryParseEvent(v, out message);
        }

        if (v[0] != ResponseMarker || v.Length < 3 || v[2] > (byte)ControlResult.Busy)
        {
            return false;
        }

        var op = (ControlOpcode)v[1];
        var result = (ControlResult)v[2];
        var p = v[3..];
        message = new ControlMessage { IsResponse = true, Opcode = op, Result = result };
        if (result == ControlResult.RangeNotStored)
        {
            if (p.Length != 5 || op is not (ControlOpcode.Backfill or ControlOpcode.Ack))
            {
                return false;
            }

            message = message with { BootId = p[0], Index = BinaryPrimitives.ReadUInt32LittleEndian(p[1..]) };
            return true;
        }

        if (result != ControlResult.Success)
        {
            return p.Length == 0;
        }

        switch (op)
        {
            case ControlOpcode.SetTime when p.Length == 5:
                message = message with { BootId = p[0], Tick = BinaryPrimitives.ReadUInt32LittleEndian(p[1..]) };
                return true;
            case ControlOpcode.ReadClock when p.Length == 13:
                message = message with
                {
                    BootId = p[0],
                    Tick = BinaryPrimitives.ReadUInt32LittleEndian(p[1..]),
                    WallMicros = BinaryPrimitives.ReadUInt64LittleEndian(p[5..]),
                };
                return true;
            case ControlOpcode.Backfill when p.Length == 9:
                message = message with
                {
                    BootId = p[0],
                    Index = BinaryPrimitives.ReadUInt32LittleEndian(p[1..]),
                    Samples = BinaryPrimitives.ReadUInt32LittleEndian(p[5..]),
                };
                return true;
            case ControlOpcode.Ack when p.Length == 4:
                message = message with { Samples = BinaryPrimitives.ReadUInt32LittleEndian(p) };
                return true;
            case ControlOpcode.StartLive or ControlOpcode.StopLive or ControlOpcode.SetSensor or ControlOpcode.AbortBackfill:
                return p.Length == 0;
            default:
                return false;
        }
    }

    private static bool TryParseEvent(ReadOnlySpan<byte> v, out ControlMessage message)
    {
        message = default;
        var code = (ControlEventCode)v[1];
        var p = v[2..];
        switch (code)
        {
            case ControlEventCode.BackfillDone when p.Length == 10:
                message = new ControlMessage
                {
                    Event = code,
                    Status = p[0],
                    BootId = p[1],
                    Index = BinaryPrimitives.ReadUInt32LittleEndian(p[2..]),
                    Samples = BinaryPrimitives.ReadUInt32LittleEndian(p[6..]),
                };
                return true;
            case ControlEventCode.DataDropped when p.Length == 9:
                message = new ControlMessage
                {
                    Event = code,
                    BootId = p[0],
                    Index = BinaryPrimitives.ReadUInt32LittleEndian(p[1..]),
                    Samples = BinaryPrimitives.ReadUInt32LittleEndian(p[5..]),
                };
                return true;
            default:
                return false;
        }
    }
}
