using System.Buffers.Binary;

namespace Sensing.Protocol.Frames;

/// <summary>
/// Encodes frames exactly as the C reference does (README §3.4: smallest width, LSB-first packing, zero padding),
/// so every sample sequence has one encoding and C and C# agree byte for byte.
/// </summary>
public static class FrameEncoder
{
    /// <summary>How many of the samples (from the first) fit one frame of at most <paramref name="maxBytes"/> bytes.</summary>
    /// <returns>0 when no sample is given or <paramref name="maxBytes"/> is below 20; otherwise 1..255.</returns>
    public static int SamplesThatFit(ReadOnlySpan<short> x, ReadOnlySpan<short> y, ReadOnlySpan<short> z, int maxBytes)
    {
        int available = Math.Min(x.Length, Math.Min(y.Length, z.Length));
        if (available == 0 || maxBytes < FrameFormat.MinFrameBytes)
        {
            return 0;
        }

        maxBytes = Math.Min(maxBytes, FrameFormat.MaxFrameBytes);
        int n = 1;
        int w = 0;
        while (n < available && n < FrameFormat.MaxSamples)
        {
            int nw = Math.Max(w, SampleWidth(x, y, z, n));
            if (FrameFormat.FrameLength(n + 1, nw) > maxBytes)
            {
                break;
            }

            w = nw;
            n++;
        }

        return n;
    }

    /// <summary>Delta width sample <paramref name="k"/> needs against sample k-1.</summary>
    public static int SampleWidth(ReadOnlySpan<short> x, ReadOnlySpan<short> y, ReadOnlySpan<short> z, int k)
        => Math.Max(
            FrameFormat.DeltaWidth((short)(x[k] - x[k - 1])),
            Math.Max(FrameFormat.DeltaWidth((short)(y[k] - y[k - 1])), FrameFormat.DeltaWidth((short)(z[k] - z[k - 1]))));

    /// <summary>Encodes one frame of all the given samples.</summary>
    /// <param name="type">Live or historical.</param>
    /// <param name="rateCode">0..5.</param>
    /// <param name="rangeCode">0..3.</param>
    /// <param name="bootId">Boot id.</param>
    /// <param name="sequence">Index of the first sample.</param>
    /// <param name="tick">Device tick of the first sample.</param>
    /// <param name="x">X counts (1..255 samples; y and z the same length).</param>
    /// <param name="y">Y counts.</param>
    /// <param name="z">Z counts.</param>
    /// <param name="destination">Receives the frame.</param>
    /// <returns>Bytes written, or 0 when the frame would not fit <paramref name="destination"/> or 244 bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A code, the count or the sequence range is invalid.</exception>
    public static int Encode(
        FrameType type, int rateCode, int rangeCode, byte bootId, uint sequence, uint tick,
        ReadOnlySpan<short> x, ReadOnlySpan<short> y, ReadOnlySpan<short> z, Span<byte> destination)
    {
        int n = x.Length;
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1, "count");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(n, FrameFormat.MaxSamples, "count");
        if (y.Length != n || z.Length != n)
        {
            throw new ArgumentException("x, y and z must have the same length.", nameof(y));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(rateCode);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rateCode, FrameFormat.RateCodeCount - 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rangeCode);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rangeCode, 3);
        if (type is not (FrameType.Live or FrameType.Historical))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Frame type must be live or historical.");
        }

        if ((ulong)sequence + (ulong)n - 1 > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(sequence), sequence, "The last sample index would exceed 2^32 - 1.");
        }

        int w = 0;
        for (int k = 1; k < n; k++)
        {
            w = Math.Max(w, SampleWidth(x, y, z, k));
        }

        int length = FrameFormat.FrameLength(n, w);
        if (length > destination.Length || length > FrameFormat.MaxFrameBytes)
        {
            return 0;
        }

        var frame = destination[..length];
        frame.Clear();
        frame[0] = (byte)((FrameFormat.ProtocolVersion << 5) | ((int)type << 3) | rateCode);
        frame[1] = (byte)((rangeCode << 6) | w);
        frame[2] = bootId;
        BinaryPrimitives.WriteUInt32LittleEndian(frame[3..], sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[7..], tick);
        frame[11] = (byte)n;
        BinaryPrimitives.WriteInt16LittleEndian(frame[12..], x[0]);
        BinaryPrimitives.WriteInt16LittleEndian(frame[14..], y[0]);
        BinaryPrimitives.WriteInt16LittleEndian(frame[16..], z[0]);

        // LSB-first bit stream; an accumulator flushes whole bytes.
        var deltas = frame[FrameFormat.DeltaOffset..];
        ulong mask = (1UL << w) - 1;
        ulong acc = 0;
        int bits = 0;
        int pos = 0;
        for (int k = 1; k < n; k++)
        {
            acc |= ((ulong)(ushort)(x[k] - x[k - 1]) & mask) << bits;
            bits += w;
            acc |= ((ulong)(ushort)(y[k] - y[k - 1]) & mask) << bits;
            bits += w;
            acc |= ((ulong)(ushort)(z[k] - z[k - 1]) & mask) << bits;
            bits += w;
            while (bits >= 8)
            {
                deltas[pos++] = (byte)acc;
                acc >>= 8;
                bits -= 8;
            }
        }

        if (bits > 0)
        {
            deltas[pos] = (byte)acc;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(frame[(length - 2)..], Crc16Ccitt.Compute(frame[..(length - 2)]));
        return length;
    }
}
