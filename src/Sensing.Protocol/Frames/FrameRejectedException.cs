namespace Sensing.Protocol.Frames;

/// <summary>A single frame was required and the bytes were not one (see <see cref="Reason"/>).</summary>
public sealed class FrameRejectedException : Exception
{
    /// <summary>Creates the exception for a reason at a byte offset.</summary>
    public FrameRejectedException(FrameRejectionReason reason, long offset)
        : base($"Frame rejected at byte {offset}: {FrameRejection.Message(reason)}.")
    {
        Reason = reason;
        Offset = offset;
    }

    /// <summary>Why the frame was rejected.</summary>
    public FrameRejectionReason Reason { get; }

    /// <summary>Byte offset of the rejected frame in its input.</summary>
    public long Offset { get; }
}
