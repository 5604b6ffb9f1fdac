namespace Sensing.Protocol.Frames;

/// <summary>
/// Receives what <see cref="FrameParser"/> finds. Implement as a struct (wrapping a reference if it needs state)
/// so the generic parser calls it without boxing or virtual dispatch.
/// </summary>
public interface IFrameHandler
{
    /// <summary>One decoded frame. The spans are the parser's buffers: valid only during the call.</summary>
    void OnFrame(in FrameHeader header, ReadOnlySpan<short> x, ReadOnlySpan<short> y, ReadOnlySpan<short> z);

    /// <summary>A corrupt run starts at <paramref name="streamOffset"/>; it is dropped and the parser resyncs.</summary>
    void OnRejected(FrameRejectionReason reason, long streamOffset);
}
