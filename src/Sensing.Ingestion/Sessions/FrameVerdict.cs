namespace Sensing.Ingestion.Sessions;

/// <summary>What the <see cref="StreamAssembler"/> did with a frame.</summary>
internal enum FrameVerdict
{
    /// <summary>Taken (wholly or its new part) into the stream, in order.</summary>
    Accepted,

    /// <summary>Every sample was already taken (a re-sent or backfilled range): dropped, counted once.</summary>
    Duplicate,

    /// <summary>Ahead of the stream (a gap before it): held until the gap is backfilled.</summary>
    Held,

    /// <summary>Ahead of the stream and no room to hold it: dropped; the band keeps it in flash and it is backfilled later.</summary>
    Shed,

    /// <summary>A boot that is neither the stream's nor one after it up to the device's current boot: a replayed old boot id or corruption.</summary>
    ForeignBoot,
}
