namespace Sensing.Protocol.Frames;

/// <summary>The decoded fixed part of a frame (README §3.1).</summary>
/// <param name="Type">Live or historical.</param>
/// <param name="RateCode">Sample rate code 0..5 (<see cref="FrameFormat.RateHz"/>).</param>
/// <param name="RangeCode">Full-scale range code 0..3 (<see cref="FrameFormat.CountsPerG"/>).</param>
/// <param name="DeltaWidth">Bits per delta, 0..16.</param>
/// <param name="BootId">Changes on every device reset.</param>
/// <param name="Sequence">Index of the first sample since boot; sample k has index Sequence + k.</param>
/// <param name="Tick">Device milliseconds since boot of the first sample (wraps at 2^32).</param>
/// <param name="Count">Samples in the frame, 1..255.</param>
public readonly record struct FrameHeader(
    FrameType Type,
    byte RateCode,
    byte RangeCode,
    byte DeltaWidth,
    byte BootId,
    uint Sequence,
    uint Tick,
    byte Count)
{
    /// <summary>One past the index of the last sample.</summary>
    public ulong EndSequence => (ulong)Sequence + Count;
}
