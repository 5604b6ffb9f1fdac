namespace Sensing.Protocol.Control;

/// <summary>Unsolicited Control Point indications (README §5.3).</summary>
public enum ControlEventCode : byte
{
    /// <summary>Not an event.</summary>
    None = 0x00,

    /// <summary>A backfill finished (status 0) or was aborted (status 1).</summary>
    BackfillDone = 0x01,

    /// <summary>Unacknowledged samples were discarded because storage was full.</summary>
    DataDropped = 0x02,
}
