using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Sensing.Protocol.Frames;

/// <summary>The one place that turns a <see cref="FrameRejectionReason"/> into a message, a metric tag or an exception.</summary>
public static class FrameRejection
{
    /// <summary>Number of reasons, for per-reason counters indexed by the enum value.</summary>
    public const int ReasonCount = (int)FrameRejectionReason.NonCanonicalWidth + 1;

    /// <summary>A human message for the reason.</summary>
    public static string Message(FrameRejectionReason reason) => reason switch
    {
        FrameRejectionReason.None => "frame accepted",
        FrameRejectionReason.Truncated => "frame truncated: fewer bytes than its header announces",
        FrameRejectionReason.UnsupportedVersion => "unsupported protocol version (expected 1)",
        FrameRejectionReason.UnknownFrameType => "unknown frame type (expected live or historical)",
        FrameRejectionReason.UnknownRateCode => "unknown rate code (6 or 7)",
        FrameRejectionReason.ReservedBitSet => "reserved format bit set",
        FrameRejectionReason.InvalidDeltaWidth => "invalid delta width",
        FrameRejectionReason.ZeroSampleCount => "sample count is zero",
        FrameRejectionReason.FrameTooLong => "frame longer than 244 bytes",
        FrameRejectionReason.SequenceOverflow => "sample index overflows 32 bits",
        FrameRejectionReason.CrcMismatch => "CRC mismatch",
        FrameRejectionReason.NonZeroPadding => "non-zero padding bits",
        FrameRejectionReason.NonCanonicalWidth => "delta width is wider than the deltas need",
        _ => "unknown rejection",
    };

    /// <summary>A short snake_case tag for metrics and logs.</summary>
    public static string MetricTag(FrameRejectionReason reason) => reason switch
    {
        FrameRejectionReason.Truncated => "truncated",
        FrameRejectionReason.UnsupportedVersion => "unsupported_version",
        FrameRejectionReason.UnknownFrameType => "unknown_frame_type",
        FrameRejectionReason.UnknownRateCode => "unknown_rate_code",
        FrameRejectionReason.ReservedBitSet => "reserved_bit_set",
        FrameRejectionReason.InvalidDeltaWidth => "invalid_delta_width",
        FrameRejectionReason.ZeroSampleCount => "zero_sample_count",
        FrameRejectionReason.FrameTooLong => "frame_too_long",
        FrameRejectionReason.SequenceOverflow => "sequence_overflow",
        FrameRejectionReason.CrcMismatch => "crc_mismatch",
        FrameRejectionReason.NonZeroPadding => "non_zero_padding",
        FrameRejectionReason.NonCanonicalWidth => "non_canonical_width",
        _ => "none",
    };

    /// <summary>Throws <see cref="FrameRejectedException"/> for callers that want an exception (never the stream decoder).</summary>
    [DoesNotReturn]
    [StackTraceHidden]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Throw(FrameRejectionReason reason, long offset)
        => throw new FrameRejectedException(reason, offset);
}
