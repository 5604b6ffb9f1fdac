namespace Sensing.Protocol.Frames;

/// <summary>Why a frame was sent (README §3.1).</summary>
public enum FrameType : byte
{
    /// <summary>Sent as the samples were measured.</summary>
    Live = 1,

    /// <summary>Replayed from the device's storage by a BACKFILL.</summary>
    Historical = 2,
}
