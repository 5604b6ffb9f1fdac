namespace Sensing.Protocol.Control;

/// <summary>Control Point request opcodes (README §5.2).</summary>
public enum ControlOpcode : byte
{
    /// <summary>No opcode (the response to an empty write).</summary>
    None = 0x00,

    /// <summary>Set the wall clock; the response carries the tick at which it was applied.</summary>
    SetTime = 0x01,

    /// <summary>Read boot id, tick and wall clock.</summary>
    ReadClock = 0x02,

    /// <summary>Start live frames.</summary>
    StartLive = 0x03,

    /// <summary>Stop live frames.</summary>
    StopLive = 0x04,

    /// <summary>Set rate and range codes.</summary>
    SetSensor = 0x05,

    /// <summary>Replay stored samples as historical frames.</summary>
    Backfill = 0x06,

    /// <summary>Stop a running backfill.</summary>
    AbortBackfill = 0x07,

    /// <summary>Confirm durable storage so the device may free it.</summary>
    Ack = 0x08,
}
