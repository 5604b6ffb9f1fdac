using System.Buffers;

namespace Sensing.Protocol.Frames;

/// <summary>
/// Finds frames in a byte stream of concatenated notifications, in the style of Kestrel's HTTP parser:
/// <see cref="TryParseFrame{THandler}"/> returns false for "need more data" (reader left at the start of the
/// incomplete frame) and true when it consumed a frame; corrupt bytes never return false and never throw: they are
/// counted once per corrupt run, dropped one byte at a time, and the next valid frame is found (resync, README §3.7).
/// </summary>
/// <remarks>One parser per stream; not thread-safe. Holds the decoded-sample buffers, so decoding allocates nothing.</remarks>
public sealed class FrameParser
{
    private readonly short[] _x = new short[FrameFormat.MaxSamples];
    private readonly short[] _y = new short[FrameFormat.MaxSamples];
    private readonly short[] _z = new short[FrameFormat.MaxSamples];
    private bool _resyncing;
    private long _offset;

    /// <summary>The stream's counters.</summary>
    public FrameStreamStatistics Statistics { get; } = new();

    /// <summary>Stream offset of the reader's current position (bytes consumed so far).</summary>
    public long Offset => _offset;

    /// <summary>Parses at most one frame, skipping any corrupt bytes before it.</summary>
    /// <param name="reader">The buffered bytes.</param>
    /// <param name="handler">Receives the frame and any rejection.</param>
    /// <param name="isFinal">No more bytes will come: a frame that needs more is truncated, not awaited.</param>
    /// <returns>True when a frame was consumed; false when more data is needed (or, if final, the input is drained).</returns>
    [System.Runtime.CompilerServices.SkipLocalsInit]
    public bool TryParseFrame<THandler>(ref SequenceReader<byte> reader, ref THandler handler, bool isFinal = false)
        where THandler : IFrameHandler
    {
        Span<byte> copy = stackalloc byte[FrameFormat.MaxFrameBytes];
        while (true)
        {
            long remaining = reader.Remaining;
            if (remaining == 0)
            {
                return false;
            }

            scoped ReadOnlySpan<byte> span = reader.UnreadSpan;
            if (span.Length < FrameFormat.HeaderBytes)
            {
                // Multi-segment slow path: copy what the header needs (the whole frame later if it spans segments).
                int take = (int)Math.Min(remaining, FrameFormat.MaxFrameBytes);
                reader.TryCopyTo(copy[..take]);
                span = copy[..take];
            }

            var reason = FrameDecoder.ParseHeader(span, out var header, out int length);
            if (reason == FrameRejectionReason.Truncated || (reason == FrameRejectionReason.None && remaining < length))
            {
                if (!isFinal)
                {
                    return false;
                }

                reason = FrameRejectionReason.Truncated;
            }

            if (reason == FrameRejectionReason.None)
            {
                if (span.Length < length)
                {
                    reader.TryCopyTo(copy[..length]);
                    span = copy[..length];
                }

                reason = FrameDecoder.DecodeBody(span, header, length, _x, _y, _z);
                if (reason == FrameRejectionReason.None)
                {
                    reader.Advance(length);
                    _offset += length;
                    _resyncing = false;
                    Statistics.FramesDecoded++;
                    Statistics.FrameBytes += length;
                    int n = header.Count;
                    handler.OnFrame(header, _x.AsSpan(0, n), _y.AsSpan(0, n), _z.AsSpan(0, n));
                    return true;
                }
            }

            Reject(ref handler, reason);
            reader.Advance(1);
            _offset++;
        }
    }

    private void Reject<THandler>(ref THandler handler, FrameRejectionReason reason)
        where THandler : IFrameHandler
    {
        Statistics.BytesSkipped++;
        if (_resyncing)
        {
            return;
        }

        _resyncing = true;
        Statistics.FramesRejected++;
        Statistics.CountRejection(reason);
        handler.OnRejected(reason, _offset);
    }
}
