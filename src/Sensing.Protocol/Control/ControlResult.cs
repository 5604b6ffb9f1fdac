namespace Sensing.Protocol.Control;

/// <summary>Control Point result codes (README §5.1).</summary>
public enum ControlResult : byte
{
    /// <summary>Done.</summary>
    Success = 0x00,

    /// <summary>The opcode is not defined; nothing changed.</summary>
    UnknownOpcode = 0x01,

    /// <summary>Parameters are not exactly the opcode's length.</summary>
    InvalidLength = 0x02,

    /// <summary>A parameter value is invalid (unknown code, first &gt; last).</summary>
    InvalidParameter = 0x03,

    /// <summary>Nothing of the asked range (or boot) is stored; the response names the oldest stored position.</summary>
    RangeNotStored = 0x04,

    /// <summary>A backfill is already running.</summary>
    Busy = 0x05,
}
