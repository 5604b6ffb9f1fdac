namespace Sensing.Protocol.Control;

/// <summary>Status flags (README §4, byte 4).</summary>
[Flags]
public enum DeviceStatusFlags : byte
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>SET_TIME was received this boot.</summary>
    ClockSet = 1,

    /// <summary>Live frames are being sent.</summary>
    Live = 2,

    /// <summary>A backfill is running.</summary>
    BackfillRunning = 4,

    /// <summary>Samples were dropped for lack of storage since the last ACK.</summary>
    StorageOverflowed = 8,

    /// <summary>Nothing is stored.</summary>
    StorageEmpty = 16,
}
