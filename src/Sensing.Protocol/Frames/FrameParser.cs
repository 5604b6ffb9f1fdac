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
    // Heads of the few streams interleaved on one link (live of this boot, backfill of older boots): boot and next index.
    private readonly byte[] _headBoot = new byte[4];
    private readonly ulong[] _headEnd = new ulong[4];
    private readonly long[] _headUsed = new long[4];
    private int _heads;

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
                // Also when in sync: a truncated notification followed by a good one can pass CRC-16 by chance
                // (1 in 65536), so any frame that does not continue a known stream is checked for a better one inside.
                if (reason == FrameRejectionReason.None && _heads > 0)
                {
                    if (BetterFrameInside(ref reader, header, length))
                    {
                        // A frame that continues the stream starts inside this candidate: the candidate is the rarer
                        // event (a CRC-16 match by chance on corrupt bytes), so drop it and resync onto the inner frame.
                        reason = FrameRejectionReason.CrcMismatch;
                    }
                }

                if (reason == FrameRejectionReason.None)
                {
                    RememberHead(header);
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

    /// <summary>
    /// Resolves the one ambiguity CRC-16 leaves after corruption: a candidate found while resynchronising that passed
    /// every check, and another complete valid frame that starts inside it. The one that continues the stream (same
    /// boot, next index) wins; on a tie the earlier candidate stays.
    /// </summary>
    [System.Runtime.CompilerServices.SkipLocalsInit]
    private bool BetterFrameInside(ref SequenceReader<byte> reader, in FrameHeader candidate, int length)
    {
        if (_heads == 0 || Continuity(candidate) == 2)
        {
            return false;
        }

        Span<byte> window = stackalloc byte[2 * FrameFormat.MaxFrameBytes];
        int have = (int)Math.Min(reader.Remaining, window.Length);
        reader.TryCopyTo(window[..have]);
        Span<short> x = stackalloc short[FrameFormat.MaxSamples];
        Span<short> y = stackalloc short[FrameFormat.MaxSamples];
        Span<short> z = stackalloc short[FrameFormat.MaxSamples];
        int score = Continuity(candidate);
        for (int q = 1; q < length; q++)
        {
            var inner = window[q..have];
            var r = FrameDecoder.ParseHeader(inner, out var h, out int l);
            // An inner frame not yet fully buffered cannot win: waiting for it would stall a good frame at the end of
            // the buffer (the last frame of a backfill) until more data comes. The miss needs a chance CRC match and
            // a buffer ending inside the true frame at once.
            if (r == FrameRejectionReason.None && l > inner.Length)
            {
                continue;
            }

            if (r == FrameRejectionReason.None && Continuity(h) > score
                && FrameDecoder.DecodeBody(inner, h, l, x, y, z) == FrameRejectionReason.None)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>2: continues a known stream exactly; 1: a known boot; 0: neither.</summary>
    private int Continuity(in FrameHeader h)
    {
        int best = 0;
        for (int i = 0; i < _heads; i++)
        {
            if (_headBoot[i] == h.BootId)
            {
                best = Math.Max(best, _headEnd[i] == h.Sequence ? 2 : 1);
            }
        }

        return best;
    }

    private void RememberHead(in FrameHeader h)
    {
        // Least recently continued head is replaced, so a busy stream is never evicted by stray frames.
        int slot = _heads < _headBoot.Length ? _heads : 0;
        for (int i = 0; i < _heads; i++)
        {
            if (_headBoot[i] == h.BootId && _headEnd[i] == h.Sequence)
            {
                slot = i;
                break;
            }

            if (_heads == _headBoot.Length && _headUsed[i] < _headUsed[slot])
            {
                slot = i;
            }
        }

        if (slot == _heads)
        {
            _heads++;
        }

        _headBoot[slot] = h.BootId;
        _headEnd[slot] = h.EndSequence;
        _headUsed[slot] = Statistics.FramesDecoded;
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
