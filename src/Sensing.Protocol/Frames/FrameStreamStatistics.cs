namespace Sensing.Protocol.Frames;

/// <summary>Counters of one frame stream. Not thread-safe: owned by the stream's single reader.</summary>
public sealed class FrameStreamStatistics
{
    private readonly long[] _byReason = new long[FrameRejection.ReasonCount];

    /// <summary>Frames decoded.</summary>
    public long FramesDecoded { get; internal set; }

    /// <summary>Bytes of decoded frames.</summary>
    public long FrameBytes { get; internal set; }

    /// <summary>Corrupt runs: each run of bytes between good frames that held no valid frame counts once.</summary>
    public long FramesRejected { get; internal set; }

    /// <summary>Bytes dropped while resynchronising.</summary>
    public long BytesSkipped { get; internal set; }

    /// <summary>Corrupt runs by the reason of their first failure.</summary>
    public long Rejected(FrameRejectionReason reason) => _byReason[(int)reason];

    internal void CountRejection(FrameRejectionReason reason) => _byReason[(int)reason]++;
}
