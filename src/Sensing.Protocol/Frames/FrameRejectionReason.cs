namespace Sensing.Protocol.Frames;

/// <summary>
/// Why bytes were not accepted as a frame, in the order the decoder checks (README §3.7). The member names are
/// the names used in <c>firmware-protocol/vectors/corrupt.json</c> and by the C reference.
/// </summary>
public enum FrameRejectionReason : byte
{
    /// <summary>Not rejected.</summary>
    None = 0,

    /// <summary>Fewer bytes than the header or than the frame length the header announces.</summary>
    Truncated,

    /// <summary>Protocol version is not 1.</summary>
    UnsupportedVersion,

    /// <summary>Frame type is not live (1) or historical (2).</summary>
    UnknownFrameType,

    /// <summary>Rate code 6 or 7.</summary>
    UnknownRateCode,

    /// <summary>Format bit 5 is set.</summary>
    ReservedBitSet,

    /// <summary>Width above 16, or a single-sample frame with a non-zero width.</summary>
    InvalidDeltaWidth,

    /// <summary>Sample count 0.</summary>
    ZeroSampleCount,

    /// <summary>The announced length exceeds 244 bytes.</summary>
    FrameTooLong,

    /// <summary>The last sample index would exceed 2^32 - 1.</summary>
    SequenceOverflow,

    /// <summary>The CRC does not match.</summary>
    CrcMismatch,

    /// <summary>Padding bits after the last delta are not zero.</summary>
    NonZeroPadding,

    /// <summary>The deltas fit a narrower width: not the one canonical encoding.</summary>
    NonCanonicalWidth,
}
